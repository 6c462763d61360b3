import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AuthScheme } from '../auth/caller';
import { ErrorResponseDto } from '../errors/error-response.dto';

export const SWAGGER_PATH = 'docs';

const X_AUTH_TOKEN: AuthScheme = 'x-auth-token';
const AKSK: AuthScheme = 'aksk';

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Git authorization service')
    .setDescription(
      "Huawei Cloud ServiceStage's Git authorization API (`/v1/{project_id}/git/auths`): connect accounts at " +
        'git providers (the `repo_type` values) by OAuth, personal token or password. Every error has the body ' +
        '`{"error_code": "SVCSTG.REPO.xxxx", "error_msg": "…"}` and every response an `X-Request-Id` header.',
    )
    .setVersion('1.0')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Auth-Token',
        description:
          'A JWT whose project claim lists the project of the path (see docs/authentication.md).',
      },
      X_AUTH_TOKEN,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'Huawei Cloud AK/SK signature, as the official SDKs send it: `SDK-HMAC-SHA256 Access=<AK>, ' +
          'SignedHeaders=<names>, Signature=<hex>` with `X-Sdk-Date` and `Host` signed. Sign with the SDK; ' +
          'it cannot be typed in here.',
      },
      AKSK,
    )
    // Either scheme is enough (two requirement objects = OR); @Public() routes override this with none.
    .addSecurityRequirements(X_AUTH_TOKEN)
    .addSecurityRequirements(AKSK)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  SwaggerModule.setup(SWAGGER_PATH, app, document, { jsonDocumentUrl: `${SWAGGER_PATH}-json` });
}
