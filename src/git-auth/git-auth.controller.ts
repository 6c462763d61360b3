import { Body, Controller, Delete, Get, Header, HttpCode, Post } from '@nestjs/common';
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
import { CreationRateLimit } from '../common/rate-limit/creation-rate-limit.decorator';
import {
  AuthorizationListDto,
  AuthorizationResponseDto,
  toAuthorizationVi,
  toAuthorizationVo,
} from './dto/authorization.dto';
import { GitCredentialDto } from './dto/credential.dto';
import { CreatePasswordAuthDto, CreatePersonalAuthDto } from './dto/direct-auth.dto';
import { CreateOAuthDto, RedirectUrlDto } from './dto/oauth.dto';
import { AuthorizationName, ProjectId, RepoTypeParam, Tag } from './dto/path-params';
import { CredentialService } from './credential.service';
import { DirectAuthService } from './direct-auth.service';
import { GitAuthService } from './git-auth.service';
import { OAuthFlowService } from './oauth-flow.service';

const PROJECT_ID_PARAM = {
  name: 'project_id',
  description:
    'ServiceStage project id (32 hex characters; letters, digits and "-", 1-64 characters accepted)',
  example: '0123456789abcdef0123456789abcdef',
};
const OAUTH_REPO_TYPE_PARAM = {
  name: 'repo_type',
  enum: ['github', 'gitlab', 'gitee', 'bitbucket'],
  description: 'Repository type; anything else is SVCSTG.REPO.0401',
};
const NAME_PARAM = { name: 'name', description: 'Authorization name', example: 'my-github' };
const TAG_QUERY = {
  name: 'tag',
  required: false,
  description:
    'Site label selecting a configured OAuth application, e.g. `intl`; empty for the default one',
  example: 'intl',
};

@ApiTags('git authorizations')
@ApiParam(PROJECT_ID_PARAM)
@ApiErrors('INVALID_PARAMETER', 'UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE', 'INTERNAL')
@Controller('v1/:project_id/git/auths')
export class GitAuthController {
  constructor(
    private readonly service: GitAuthService,
    private readonly oauthFlow: OAuthFlowService,
    private readonly directAuth: DirectAuthService,
    private readonly credentials: CredentialService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listAuthorizations',
    summary: 'List the git authorizations of a project',
  })
  @ApiOkResponse({ type: AuthorizationListDto })
  async list(@ProjectId() projectId: string): Promise<AuthorizationListDto> {
    const authorizations = (await this.service.list(projectId)).map(toAuthorizationVo);
    return { authorizations, count: authorizations.length };
  }

  @Get(':repo_type/redirect')
  @CreationRateLimit()
  @ApiOperation({
    operationId: 'showRedirectUrl',
    summary: "Get the provider's authorize URL, with a fresh one-off state",
    description:
      'Send the user to `url`. The provider redirects back to the configured callback with `code` and `state`, ' +
      'which go to the oauth operation. The state expires after OAUTH_STATE_TTL_SECONDS and works once, for this ' +
      'project, repository type and tag only.',
  })
  @ApiParam(OAUTH_REPO_TYPE_PARAM)
  @ApiQuery(TAG_QUERY)
  @ApiOkResponse({ type: RedirectUrlDto })
  @ApiErrors('REPO_TYPE_NOT_SUPPORTED', 'PROVIDER_NOT_CONFIGURED')
  async redirect(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Tag() tag: string,
  ): Promise<RedirectUrlDto> {
    return { url: await this.oauthFlow.authorizeUrl(projectId, repoType, tag) };
  }

  @Post(':repo_type/oauth')
  @CreationRateLimit()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createOAuth',
    summary: 'Create an OAuth authorization from the code and state of the provider redirect',
    description:
      'Consumes the state, exchanges the code at the provider (once: codes are single use), reads the user ' +
      'profile and stores the authorization with its tokens encrypted.',
  })
  @ApiParam(OAUTH_REPO_TYPE_PARAM)
  @ApiQuery(TAG_QUERY)
  @ApiBody({ type: CreateOAuthDto })
  @ApiOkResponse({ type: AuthorizationResponseDto })
  @ApiErrors(
    'REPO_TYPE_NOT_SUPPORTED',
    'OAUTH_CODE_OR_STATE_INVALID',
    'ALREADY_EXISTS',
    'PROVIDER_NOT_CONFIGURED',
    'PROVIDER_UNAVAILABLE',
    'PROVIDER_TIMEOUT',
  )
  async createOAuth(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Tag() tag: string,
    @Body() body: CreateOAuthDto,
  ): Promise<AuthorizationResponseDto> {
    const authorization = await this.oauthFlow.complete(projectId, repoType, tag, body);
    return { authorization: toAuthorizationVi(authorization) };
  }

  @Post(':repo_type/personal')
  @CreationRateLimit()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createPersonalAuth',
    summary: 'Create an authorization from a personal access token (github, gitlab, gitee)',
    description:
      "The token is checked against the provider's user API before anything is stored; its profile fills " +
      'repo_user, repo_home and avartar. `host` selects a self-hosted server (https, on GIT_ALLOWED_HOSTS).',
  })
  @ApiParam({ ...OAUTH_REPO_TYPE_PARAM, enum: ['github', 'gitlab', 'gitee'] })
  @ApiBody({ type: CreatePersonalAuthDto })
  @ApiOkResponse({ type: AuthorizationResponseDto })
  @ApiErrors(
    'REPO_TYPE_NOT_SUPPORTED',
    'AUTHORIZATION_INVALID',
    'ALREADY_EXISTS',
    'HOST_NOT_ALLOWED',
    'PROVIDER_UNAVAILABLE',
    'PROVIDER_TIMEOUT',
  )
  async createPersonal(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Body() body: CreatePersonalAuthDto,
  ): Promise<AuthorizationResponseDto> {
    return {
      authorization: toAuthorizationVi(
        await this.directAuth.createPersonal(projectId, repoType, body),
      ),
    };
  }

  @Post(':repo_type/password')
  @CreationRateLimit()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createPasswordAuth',
    summary: 'Create an authorization from a username and app password or API token (bitbucket)',
    description:
      'Checked with HTTP Basic against the Bitbucket user API before anything is stored.',
  })
  @ApiParam({ ...OAUTH_REPO_TYPE_PARAM, enum: ['bitbucket'] })
  @ApiBody({ type: CreatePasswordAuthDto })
  @ApiOkResponse({ type: AuthorizationResponseDto })
  @ApiErrors(
    'REPO_TYPE_NOT_SUPPORTED',
    'AUTHORIZATION_INVALID',
    'ALREADY_EXISTS',
    'PROVIDER_UNAVAILABLE',
    'PROVIDER_TIMEOUT',
  )
  async createPassword(
    @ProjectId() projectId: string,
    @RepoTypeParam() repoType: string,
    @Body() body: CreatePasswordAuthDto,
  ): Promise<AuthorizationResponseDto> {
    return {
      authorization: toAuthorizationVi(
        await this.directAuth.createPassword(projectId, repoType, body),
      ),
    };
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteAuthorize',
    summary: 'Delete an authorization',
    description:
      'OAuth grants are also revoked at the provider where it has an API for it (GitHub, GitLab): best effort, ' +
      'in the background, never failing the delete.',
  })
  @ApiParam(NAME_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors('AUTHORIZATION_NOT_FOUND')
  async delete(@ProjectId() projectId: string, @AuthorizationName() name: string): Promise<void> {
    await this.service.delete(projectId, name);
  }

  @Post(':name/credential')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'showGitCredential',
    summary:
      'Get a git credential for cloning (internal consumers; the only response carrying a secret)',
    description:
      'Returns what `git clone https://username:token@host/…` needs, with a token valid for at least ' +
      'CREDENTIAL_MIN_TTL_SECONDS (refreshed first when needed). Answered with `Cache-Control: no-store`. ' +
      'An expired or revoked grant is SVCSTG.REPO.0451: re-authorize.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({
    type: GitCredentialDto,
    headers: { 'Cache-Control': { schema: { type: 'string', example: 'no-store' } } },
  })
  @ApiErrors(
    'AUTHORIZATION_NOT_FOUND',
    'AUTHORIZATION_INVALID',
    'PROVIDER_NOT_CONFIGURED',
    'HOST_NOT_ALLOWED',
    'PROVIDER_UNAVAILABLE',
    'PROVIDER_TIMEOUT',
  )
  async credential(
    @ProjectId() projectId: string,
    @AuthorizationName() name: string,
  ): Promise<GitCredentialDto> {
    const result = await this.credentials.credential(projectId, name);
    return {
      repo_type: result.authorization.repoType,
      repo_host: result.authorization.repoHost,
      username: result.username,
      token: result.token,
      expires_at: result.authorization.tokenExpiresAt?.getTime() ?? null,
    };
  }

  @Post(':name/verify')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'verifyAuthorization',
    summary: 'Check the stored credential against the provider now',
    description:
      'Refreshes an expired token first where possible, then calls the provider. The returned authorization ' +
      'carries the verdict in `status` (0 normal, 1 expired, 2 not authenticated) and a fresh profile.',
  })
  @ApiParam(NAME_PARAM)
  @ApiOkResponse({ type: AuthorizationResponseDto })
  @ApiErrors(
    'AUTHORIZATION_NOT_FOUND',
    'PROVIDER_NOT_CONFIGURED',
    'HOST_NOT_ALLOWED',
    'PROVIDER_UNAVAILABLE',
    'PROVIDER_TIMEOUT',
  )
  async verify(
    @ProjectId() projectId: string,
    @AuthorizationName() name: string,
  ): Promise<AuthorizationResponseDto> {
    return { authorization: toAuthorizationVi(await this.credentials.verify(projectId, name)) };
  }
}
