import { Injectable } from '@nestjs/common';
import type { TokenType } from '../domain/authorization';
import { ProviderHttp } from './http/provider-http';
import { type OAuthError, OAuthTokenClient, type TokenRequest } from './oauth-token-client';
import { endpoint, fetchUserJson } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor, type SecretUse } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import { ProviderApi } from './repo-api/provider-api';
import type {
  FileDeletion,
  FileUpdate,
  NewFile,
  NewHook,
  NewTag,
  ProjectDetail,
  ProjectRef,
  RefKind,
  RepoCommit,
  RepoContext,
  RepoFile,
  RepoHook,
  RepoNamespace,
  RepoProject,
} from './repo-api/repo-model';
import type {
  ApiTarget,
  CallBound,
  GitCredential,
  ProviderCredential,
  ProviderProfile,
  RepoProviderStrategy,
  RevocationScope,
  TokenSet,
} from './repo-provider.strategy';

/** A token request before it is sent: what a provider may rearrange (Gitee moves parameters to the query). */
export interface GrantRequest {
  readonly app: OAuthApp;
  readonly grantType: TokenRequest['grantType'];
  readonly parameters: Record<string, string>;
  /** The call's bound when it is not PROVIDER_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/**
 * What the providers share: the RFC 6749 code and refresh grants at one token endpoint, `GET /user`, and the
 * credentials their descriptor states. A provider states its token path and client authentication and
 * overrides where it deviates.
 */
@Injectable()
export abstract class BaseProviderStrategy implements RepoProviderStrategy {
  abstract readonly descriptor: ProviderDescriptor;
  /** Path of the token endpoint under the web URL. */
  protected abstract readonly tokenPath: string;
  protected readonly clientAuth: TokenRequest['clientAuth'] = 'post';

  constructor(
    protected readonly tokens: OAuthTokenClient,
    protected readonly http: ProviderHttp,
  ) {}

  abstract authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL;
  /** The profile fields of the provider's `GET /user` answer. */
  abstract parseProfile(user: unknown): ProviderProfile;
  abstract revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void>;

  abstract listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]>;
  abstract showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail>;
  abstract listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]>;
  abstract listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]>;
  abstract listCommits(
    ctx: RepoContext,
    repo: ProjectRef,
    ref: string | undefined,
  ): Promise<RepoCommit[]>;
  abstract listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]>;
  abstract readFile(
    ctx: RepoContext,
    repo: ProjectRef,
    path: string,
    ref: string,
  ): Promise<RepoFile>;

  abstract createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject>;
  abstract createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void>;
  abstract deleteTag(ctx: RepoContext, repo: ProjectRef, name: string): Promise<void>;
  abstract listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]>;
  abstract createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook>;
  abstract deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void>;
  abstract createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void>;
  abstract updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void>;
  abstract deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void>;

  exchangeCode(app: OAuthApp, params: { code: string; codeVerifier?: string }): Promise<TokenSet> {
    return this.grant({
      app,
      grantType: 'authorization_code',
      parameters: {
        code: params.code,
        redirect_uri: app.redirectUri,
        ...(params.codeVerifier ? { code_verifier: params.codeVerifier } : {}),
      },
    });
  }

  refresh(app: OAuthApp, refreshToken: string, bound: CallBound = {}): Promise<TokenSet> {
    return this.grant({
      app,
      grantType: 'refresh_token',
      parameters: { refresh_token: refreshToken },
      timeoutMs: bound.timeoutMs,
    });
  }

  async fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile> {
    const user = await fetchUserJson(this.http, this.descriptor.repoType, target, credential);
    return this.parseProfile(user);
  }

  apiCredential(tokenType: TokenType, secret: string, login?: string): ProviderCredential {
    const { api } = this.use(tokenType);
    if (api !== 'basic') return { kind: api, token: secret };
    if (login === undefined)
      throw new Error(`${this.descriptor.displayName} needs the account login with a ${tokenType}`);
    return { kind: 'basic', username: login, password: secret };
  }

  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential {
    const { gitUsername } = this.use(tokenType);
    return { username: gitUsername === ACCOUNT_LOGIN ? login : gitUsername, password: secret };
  }

  /** The provider's REST API as the authorization of `ctx` sees it. */
  protected api(ctx: RepoContext): ProviderApi {
    return new ProviderApi(this.http, this.descriptor, ctx, this.apiHeaders());
  }

  /** Headers every call to the provider's REST API carries (GitHub's media type and API version). */
  protected apiHeaders(): Record<string, string> {
    return {};
  }

  /**
   * Whether a token endpoint error means the user's grant is dead (a bad, spent or expired code, a dead refresh
   * token): RFC 6749's `invalid_grant`. Anything else (invalid_client, unauthorized_client…) is our
   * configuration or the provider failing, and must neither blame nor expire the user.
   */
  protected isGrantRefusal(error: OAuthError): boolean {
    return error.error === 'invalid_grant';
  }

  protected grant(request: GrantRequest): Promise<TokenSet> {
    // Field by field rather than `...request`: a literal that starts with a spread gets a new hidden class each
    // time on Node.js 20 (microseconds per call).
    return this.tokens.request({
      app: request.app,
      grantType: request.grantType,
      parameters: request.parameters,
      timeoutMs: request.timeoutMs,
      tokenEndpoint: this.tokenEndpoint(request).href,
      clientAuth: this.clientAuth,
      isGrantRefusal: (error) => this.isGrantRefusal(error),
    });
  }

  /**
   * An RFC 6749 authorize URL with the PKCE challenge (RFC 7636) when there is one, in the parameter order GitLab
   * and Gitea document.
   */
  protected codeAuthorizeUrl(
    app: OAuthApp,
    path: string,
    params: { state: string; codeChallenge?: string },
  ): URL {
    return endpoint(app.webUrl, path, {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      state: params.state,
      scope: app.scopes.join(' '),
      code_challenge: params.codeChallenge,
      code_challenge_method: params.codeChallenge ? 'S256' : undefined,
    });
  }

  protected tokenEndpoint(request: GrantRequest): URL {
    return endpoint(request.app.webUrl, this.tokenPath);
  }

  private use(tokenType: TokenType): SecretUse {
    const use = this.descriptor.secrets[tokenType];
    if (!use)
      throw new Error(`${this.descriptor.displayName} takes no ${tokenType} authorizations`);
    return use;
  }
}
