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
import { AuthorizationListDto, AuthorizationResponseDto } from './dto/authorization.dto';
import { GitCredentialDto } from './dto/credential.dto';
import { CreatePasswordAuthDto, CreatePersonalAuthDto } from './dto/direct-auth.dto';
import { CreateOAuthDto, RedirectUrlDto } from './dto/oauth.dto';
import { REPO_TYPES, repoTypesAccepting } from './providers/registered-providers';

/**
 * The OpenAPI description of each operation, one composed decorator per operation, so that the controller shows
 * routes and handlers only. Repo type lists come from the registered providers.
 */

const repoTypeParam = (repoTypes: readonly string[]) =>
  ApiParam({
    name: 'repo_type',
    enum: [...repoTypes],
    description: 'Repository type; anything else is SVCSTG.REPO.0401',
  });
const NAME_PARAM = ApiParam({
  name: 'name',
  description: 'Authorization name',
  example: 'my-github',
});
const TAG_QUERY = ApiQuery({
  name: 'tag',
  required: false,
  description:
    'Site label selecting a configured OAuth application, e.g. `intl`; empty for the default one',
  example: 'intl',
});
const PERSONAL_TYPES = repoTypesAccepting('personal');
const PASSWORD_TYPES = repoTypesAccepting('password');

export const GitAuthApi = () =>
  applyDecorators(
    ApiTags('git authorizations'),
    ApiParam({
      name: 'project_id',
      description:
        'ServiceStage project id (32 hex characters; letters, digits and "-", 1-64 characters accepted)',
      example: '0123456789abcdef0123456789abcdef',
    }),
    ApiErrors('INVALID_PARAMETER', 'UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE', 'INTERNAL'),
  );

export const ListApi = () =>
  applyDecorators(
    ApiOperation({
      operationId: 'listAuthorizations',
      summary: 'List the git authorizations of a project',
    }),
    ApiOkResponse({ type: AuthorizationListDto }),
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
    ApiOkResponse({ type: RedirectUrlDto }),
    ApiErrors('REPO_TYPE_NOT_SUPPORTED', 'PROVIDER_NOT_CONFIGURED'),
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
    ApiOkResponse({ type: AuthorizationResponseDto }),
    ApiErrors(
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
    ApiBody({ type: CreatePersonalAuthDto }),
    ApiOkResponse({ type: AuthorizationResponseDto }),
    ApiErrors(
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
    ApiOkResponse({ type: AuthorizationResponseDto }),
    ApiErrors(
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
    ApiErrors('AUTHORIZATION_NOT_FOUND'),
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
        'PROVIDER_TIMEOUT_MS is SVCSTG.REPO.0504 for the caller, but goes on and is stored: retry shortly.',
    }),
    NAME_PARAM,
    ApiOkResponse({
      type: GitCredentialDto,
      headers: { 'Cache-Control': { schema: { type: 'string', example: 'no-store' } } },
    }),
    ApiErrors(
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
    ApiOkResponse({ type: AuthorizationResponseDto }),
    ApiErrors(
      'AUTHORIZATION_NOT_FOUND',
      'PROVIDER_NOT_CONFIGURED',
      'HOST_NOT_ALLOWED',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_TIMEOUT',
    ),
  );
