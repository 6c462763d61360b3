import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-error-responses';
import type { ErrorKey } from '../common/errors/error-codes';
import {
  AuthorizationListDto,
  CreateOAuthResponseDto,
  CreatePasswordAuthResponseDto,
  CreatePersonalAuthResponseDto,
  VerifyAuthorizationResponseDto,
} from './dto/authorization.dto';
import { GitCredentialDto } from './dto/credential.dto';
import { CreatePasswordAuthDto, CreatePersonalAuthDto } from './dto/direct-auth.dto';
import {
  EXAMPLE_AUTHORIZATION_NAME,
  EXAMPLE_PROJECT_ID,
  SANDBOX_PERSONAL_TOKEN,
} from './dto/examples';
import { CreateOAuthDto, RedirectUrlDto } from './dto/oauth.dto';
import { REPO_TYPES, repoTypesAccepting } from './providers/registered-providers';

/**
 * The OpenAPI description of each operation, one composed decorator per operation, so that the controller shows
 * routes and handlers only. Repo type lists come from the registered providers.
 */

export const GIT_AUTH_TAG = 'git authorizations';

/** The first repo type is what Swagger UI selects, and what the examples are for. */
const repoTypeParam = (repoTypes: readonly string[]) =>
  ApiParam({
    name: 'repo_type',
    enum: [...repoTypes],
    example: repoTypes[0],
    description: 'Repository type; anything else is SVCSTG.REPO.0401',
  });
const NAME_PARAM = ApiParam({
  name: 'name',
  description: 'Authorization name',
  example: EXAMPLE_AUTHORIZATION_NAME,
});
// No example: Swagger UI would send it, and only tags configured on the server exist.
const TAG_QUERY = ApiQuery({
  name: 'tag',
  required: false,
  description:
    'Site tag selecting a configured OAuth application (e.g. `intl` for `GITHUB_INTL_CLIENT_ID`); absent or ' +
    'empty for the default one',
});
const PERSONAL_TYPES = repoTypesAccepting('personal');
const PASSWORD_TYPES = repoTypesAccepting('password');

/**
 * What every operation can answer. Listed per operation (not on the controller): responses of one status are
 * merged only within one decorator target, so a class-level 400 would be replaced by an operation's own 400.
 */
const EVERY_OPERATION: ErrorKey[] = [
  'INVALID_PARAMETER',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'REQUEST_TIMEOUT',
  'HEADERS_TOO_LARGE',
  'INTERNAL',
  'UNAVAILABLE',
];
/** What an operation that reads a body can also answer. */
const WITH_BODY: ErrorKey[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];

const errors = (keys: ErrorKey[], ...more: ErrorKey[]) => ApiErrors(...keys, ...more);

export const GitAuthApi = () =>
  applyDecorators(
    ApiTags(GIT_AUTH_TAG),
    ApiParam({
      name: 'project_id',
      description:
        'ServiceStage project id (32 hex characters; letters, digits and "-", 1-64 characters accepted)',
      example: EXAMPLE_PROJECT_ID,
    }),
  );

export const ListApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'listAuthorizations',
      summary: 'List the git authorizations of a project',
    }),
    ApiOkResponse({ type: AuthorizationListDto, description: "The project's authorizations" }),
    errors(EVERY_OPERATION),
  );

export const RedirectApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'showRedirectUrl',
      summary: "Get the provider's authorize URL, with a fresh one-off state",
      description:
        'Send the user to `url`. The provider redirects back to the configured callback with `code` and `state`, ' +
        'which go to the oauth operation. The state expires after OAUTH_STATE_TTL_SECONDS and works once, for this ' +
        'project, repository type and tag only.',
    }),
    repoTypeParam(REPO_TYPES),
    TAG_QUERY,
    ApiOkResponse({ type: RedirectUrlDto, description: "The provider's authorize URL" }),
    errors(EVERY_OPERATION, 'REPO_TYPE_NOT_SUPPORTED', 'PROVIDER_NOT_CONFIGURED'),
  );

export const CreateOAuthApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'createOAuth',
      summary: 'Create an OAuth authorization from the code and state of the provider redirect',
      description:
        'Consumes the state, exchanges the code at the provider (once: codes are single use), reads the user ' +
        'profile and stores the authorization with its tokens encrypted.',
    }),
    repoTypeParam(REPO_TYPES),
    TAG_QUERY,
    ApiBody({ type: CreateOAuthDto }),
    ApiOkResponse({ type: CreateOAuthResponseDto, description: 'The new authorization' }),
    errors(
      [...EVERY_OPERATION, ...WITH_BODY],
      'REPO_TYPE_NOT_SUPPORTED',
      'OAUTH_CODE_OR_STATE_INVALID',
      'ALREADY_EXISTS',
      'PROVIDER_NOT_CONFIGURED',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
    ),
  );

export const CreatePersonalApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'createPersonalAuth',
      summary: `Create an authorization from a personal access token (${PERSONAL_TYPES.join(', ')})`,
      description:
        "The token is checked against the provider's user API before anything is stored; its profile fills " +
        'repo_user, repo_home and avartar. `host` selects a self-hosted server (https, on GIT_ALLOWED_HOSTS).',
    }),
    repoTypeParam(PERSONAL_TYPES),
    ApiBody({
      type: CreatePersonalAuthDto,
      examples: {
        'provider account': {
          summary: `An account at the configured server (the sandbox's token: npm run start:local)`,
          value: { name: EXAMPLE_AUTHORIZATION_NAME, token: SANDBOX_PERSONAL_TOKEN },
        },
        'self-hosted server': {
          summary: 'An account at a self-hosted server on GIT_ALLOWED_HOSTS',
          value: {
            name: 'corp-gitlab',
            token: 'glpat-xxxxxxxxxxxxxxxxxxxx',
            host: 'https://gitlab.example.com',
          },
        },
      },
    }),
    ApiOkResponse({ type: CreatePersonalAuthResponseDto, description: 'The new authorization' }),
    errors(
      [...EVERY_OPERATION, ...WITH_BODY],
      'REPO_TYPE_NOT_SUPPORTED',
      'AUTHORIZATION_INVALID',
      'ALREADY_EXISTS',
      'HOST_NOT_ALLOWED',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
    ),
  );

export const CreatePasswordApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'createPasswordAuth',
      summary: `Create an authorization from a username and app password or API token (${PASSWORD_TYPES.join(', ')})`,
      description:
        "Checked with HTTP Basic against the provider's user API before anything is stored.",
    }),
    repoTypeParam(PASSWORD_TYPES),
    ApiBody({ type: CreatePasswordAuthDto }),
    ApiOkResponse({ type: CreatePasswordAuthResponseDto, description: 'The new authorization' }),
    errors(
      [...EVERY_OPERATION, ...WITH_BODY],
      'REPO_TYPE_NOT_SUPPORTED',
      'AUTHORIZATION_INVALID',
      'ALREADY_EXISTS',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
    ),
  );

export const DeleteApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'deleteAuthorize',
      summary: 'Delete an authorization',
      description:
        'OAuth grants are also revoked at the provider where it has an API for it: best effort, in the ' +
        'background, never failing the delete.',
    }),
    NAME_PARAM,
    ApiNoContentResponse({ description: 'Deleted' }),
    errors(EVERY_OPERATION, 'AUTHORIZATION_NOT_FOUND'),
  );

export const CredentialApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'showGitCredential',
      summary:
        'Get a git credential for cloning (internal consumers; the only response carrying a secret)',
      description:
        'Returns what `git clone https://username:token@host/…` needs, with a token valid for at least ' +
        'CREDENTIAL_MIN_TTL_SECONDS (refreshed first when needed). Answered with `Cache-Control: no-store`. ' +
        'An expired or revoked grant is SVCSTG.REPO.0451: re-authorize. A refresh the provider answers after ' +
        'PROVIDER_TIMEOUT_MS is SVCSTG.REPO.0504 for the caller, but goes on and is stored: retry shortly. ' +
        'Every credential handed out (and every refusal) is recorded in the audit trail (listAuditEvents) before ' +
        'the answer leaves; if it cannot be recorded, the answer is SVCSTG.REPO.0503 and holds no token.',
    }),
    NAME_PARAM,
    ApiOkResponse({
      type: GitCredentialDto,
      description: 'The clone credential',
      headers: {
        'Cache-Control': {
          description: 'The answer holds a secret: never stored by caches',
          schema: { type: 'string', example: 'no-store' },
        },
      },
    }),
    errors(
      [...EVERY_OPERATION, ...WITH_BODY],
      'AUTHORIZATION_NOT_FOUND',
      'AUTHORIZATION_INVALID',
      'PROVIDER_NOT_CONFIGURED',
      'HOST_NOT_ALLOWED',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
    ),
  );

export const VerifyApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'verifyAuthorization',
      summary: 'Check the stored credential against the provider now',
      description:
        'Refreshes an expired token first where possible (as the credential operation does), then calls the ' +
        'provider. The returned authorization carries the verdict in `status` (0 normal, 1 expired, 2 not ' +
        'authenticated) and a fresh profile.',
    }),
    NAME_PARAM,
    ApiOkResponse({
      type: VerifyAuthorizationResponseDto,
      description: 'The authorization with the verdict',
    }),
    errors(
      [...EVERY_OPERATION, ...WITH_BODY],
      'AUTHORIZATION_NOT_FOUND',
      'PROVIDER_NOT_CONFIGURED',
      'HOST_NOT_ALLOWED',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
    ),
  );
