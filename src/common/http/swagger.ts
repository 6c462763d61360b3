import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { loadDocsConfig } from '../../config/docs.config';
import { AUDIT_TAG } from '../../audit/audit.api-docs';
import { GIT_AUTH_TAG } from '../../git-auth/git-auth.api-docs';
import { HEALTH_TAG } from '../../health/health.controller';
import { FILES_TAG, REPOS_TAG } from '../../repositories/repositories.api-docs';
import type { AuthScheme } from '../auth/caller';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { documentResponseHeaders } from './openapi-headers';

export const SWAGGER_PATH = 'docs';

const X_AUTH_TOKEN: AuthScheme = 'x-auth-token';
const AKSK: AuthScheme = 'aksk';

/** The OpenAPI document of the application's routes (also built without a database: see openapi.cli.ts). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Git authorization service')
    .setDescription(
      "Huawei Cloud ServiceStage's Git authorization API (`/v1/{project_id}/git/auths`): connect accounts at " +
        'git providers (the `repo_type` values) by OAuth, personal token or password; then browse their ' +
        'repositories through a stored authorization named in `X-Repo-Auth` (`/git/repos`, `/git/files`); ' +
        'what was done through them is in the audit trail (`/git/audit`). ' +
        'Every error has the body ' +
        '`{"error_code": "SVCSTG.REPO.xxxx", "error_msg": "…"}` and every response an `X-Request-Id` header.\n\n' +
        'Locally (`npm run start:local`) sandbox providers stand in for the real ones: every example here ' +
        'works when executed, and the redirect URL leads to a sandbox consent page and back to `/oauth/callback`.',
    )
    .setVersion('1.0')
    // As package.json: UNLICENSED, i.e. nobody else may use it (the link says what npm means by that).
    .setLicense(
      'UNLICENSED (proprietary)',
      'https://docs.npmjs.com/cli/configuring-npm/package-json#license',
    )
    .addServer('/', 'This service')
    .addTag(
      GIT_AUTH_TAG,
      'Connect accounts at git providers to a project, list and delete them, and hand out clone credentials',
    )
    .addTag(
      REPOS_TAG,
      'Browse the repositories of the account behind a stored authorization (X-Repo-Auth): namespaces, ' +
        'repositories, branches, tags, commits',
    )
    .addTag(FILES_TAG, "List a repository's files and read their contents (X-Repo-Auth)")
    .addTag(
      AUDIT_TAG,
      "The project's audit trail: every repository write and every credential handed out, by whom",
    )
    .addTag(HEALTH_TAG, 'Probes for the orchestrator (no authentication)')
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
  return documentResponseHeaders(document);
}

/**
 * Swagger UI at /docs and the document at /docs-json, unless DOCS_ENABLED=false. The document is built on the
 * first request that needs it (then kept): building it walks every route's metadata, which is start-up time and
 * memory that a replica which never serves /docs need not spend.
 */
export function setupSwagger(app: INestApplication): void {
  if (!loadDocsConfig().enabled) return;
  SwaggerModule.setup(SWAGGER_PATH, app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: `${SWAGGER_PATH}-json`,
    customSiteTitle: 'Git authorization service',
    swaggerOptions: {
      // What was entered with Authorize survives a reload (kept in the browser's localStorage).
      persistAuthorization: true,
      displayOperationId: true,
      // Swagger UI would ask validator.swagger.io for a badge: nothing leaves the machine.
      validatorUrl: null,
    },
  });
}
