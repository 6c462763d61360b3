import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';

export const SWAGGER_PATH = 'docs';

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Git authorization service')
    .setDescription(
      "Huawei Cloud ServiceStage's Git authorization API (`/v1/{project_id}/git/auths`): connect GitHub, GitLab, " +
        'Gitee and Bitbucket accounts by OAuth, personal token or password. Every error has the body ' +
        '`{"error_code": "SVCSTG.REPO.xxxx", "error_msg": "…"}` and every response an `X-Request-Id` header.',
    )
    .setVersion('1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  SwaggerModule.setup(SWAGGER_PATH, app, document, { jsonDocumentUrl: `${SWAGGER_PATH}-json` });
}
