import { randomBytes } from 'node:crypto';
import { FakeProvider } from './base';
import type {
  AuthorizeDecision,
  CodeRecord,
  ProviderFacts,
  RequestContext,
  Route,
  TokenRecord,
} from './types';
import {
  basicAuth,
  bodyParams,
  htmlPage,
  sendHtml,
  sendJson,
  splitAuthorization,
  type Params,
} from './http';
import { randomHex } from './tokens';

/** Gitea's refresh tokens live 730 hours by default. */
const REFRESH_TTL_SECONDS = 730 * 3600;

/**
 * Gitea and Forgejo (gitea.com, codeberg.org, self-hosted): OAuth2 under /login/oauth with PKCE, JWT access and
 * refresh tokens (3600 s; a refresh token dies when used), the REST API under /api/v1. The token endpoint answers
 * 400 for everything and says `unauthorized_client` for a bad code, a wrong secret, a failed PKCE check and a
 * reused refresh token alike: only `error_description` tells them apart. No revocation API for OAuth apps.
 */
export class FakeGitea extends FakeProvider {
  accessTokenTtlSeconds = 3600;
  readonly facts: ProviderFacts = {
    pkce: true,
    revocation: 'none',
    rotatesRefreshTokens: true,
    // The old access token is a signed JWT: it stays valid until it expires.
    refreshEndsOldAccessToken: false,
  };

  constructor() {
    super('gitea', 5_000_001);
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v1`;
  }

  protected route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/login/oauth/authorize')
      return { endpoint: 'authorize', handle: (c) => this.handleAuthorize(c) };
    if (method === 'POST' && path === '/login/oauth/access_token')
      return { endpoint: 'token', handle: (c) => this.token(c) };
    if (method === 'GET' && path === '/api/v1/user')
      return { endpoint: 'user', handle: (c) => this.user(c) };
    return undefined;
  }

  /** A token as the password, whatever the user name (Gitea looks the token up, not the user). */
  protected cloneAccepted(username: string, secret: string): boolean {
    return username !== '' && this.checkToken(secret, ['access', 'personal']).state === 'ok';
  }

  protected decideAuthorize(q: Params): AuthorizeDecision {
    const app = this.apps.get(q.client_id ?? '');
    if (!app) return { kind: 'error-page', status: 400, message: 'Client ID not registered' };
    if (q.redirect_uri !== app.redirectUri)
      return { kind: 'error-page', status: 400, message: 'Unregistered Redirect URI' };
    const error = (code: string, description: string): AuthorizeDecision => ({
      kind: 'error-redirect',
      redirectUri: app.redirectUri,
      params: { error: code, error_description: description },
    });
    if (q.response_type !== 'code')
      return error('unsupported_response_type', 'Only code response type is supported.');
    const method = q.code_challenge_method ?? '';
    if (!['', 'S256', 'plain'].includes(method))
      return error('invalid_request', 'unsupported code challenge method');
    return {
      kind: 'approve',
      app,
      redirectUri: app.redirectUri,
      requestedRedirectUri: q.redirect_uri,
      scope: q.scope ?? '',
      codeChallenge: method === '' ? undefined : q.code_challenge,
      codeChallengeMethod: method === '' ? undefined : method,
    };
  }

  protected deniedParams(): Params {
    return { error: 'access_denied', error_description: 'the request is denied' };
  }

  protected newCode(): string {
    return randomBytes(32).toString('base64url');
  }

  /** Personal access tokens are 40 hex characters. */
  protected newPersonalToken(): string {
    return randomHex(20);
  }

  protected override defaultAvatarUrl(username: string): string {
    return `${this.baseUrl}/avatars/${randomHex(16)}?user=${encodeURIComponent(username)}`;
  }

  protected notFound(ctx: RequestContext): void {
    if (ctx.url.pathname.startsWith('/api/'))
      sendJson(ctx.res, 404, { errors: null, message: 'not found', url: this.swaggerUrl() });
    else
      sendHtml(
        ctx.res,
        404,
        htmlPage(
          'Page Not Found - Gitea',
          'The page you are trying to reach either does not exist or you are not authorized to view it.',
        ),
      );
  }

  protected serverErrorPage(status: number): string {
    return htmlPage(`${status} Internal Server Error - Gitea`, 'An error occurred');
  }

  // ---- token endpoint (the order of Gitea's checks) ------------------------------------------------------

  private token(ctx: RequestContext): void {
    const p: Params = bodyParams(ctx.req, ctx.body, true);
    const basic = basicAuth(ctx.req);
    if (
      basic &&
      ((p.client_id && p.client_id !== basic.user) ||
        (p.client_secret && p.client_secret !== basic.pass))
    )
      return this.error(
        ctx,
        'invalid_request',
        'client_id in request body inconsistent with Authorization header',
      );
    const clientId = p.client_id || basic?.user || '';
    const secret = p.client_secret || basic?.pass || '';
    switch (p.grant_type) {
      case 'authorization_code':
        return this.exchangeCode(ctx, p, clientId, secret);
      case 'refresh_token':
        return this.refreshGrant(ctx, p, clientId, secret);
      default:
        return this.error(
          ctx,
          'unsupported_grant_type',
          'Only refresh_token or authorization_code grant type is supported',
        );
    }
  }

  private exchangeCode(ctx: RequestContext, p: Params, clientId: string, secret: string): void {
    const app = this.apps.get(clientId);
    if (!app)
      return this.error(ctx, 'invalid_client', `cannot load client with client id: '${clientId}'`);
    if (app.clientSecret !== secret)
      return this.error(
        ctx,
        'unauthorized_client',
        secret ? 'invalid client secret' : 'invalid empty client secret',
      );
    if (p.redirect_uri && p.redirect_uri !== app.redirectUri)
      return this.error(ctx, 'unauthorized_client', 'unexpected redirect URI');
    const code: CodeRecord | undefined = p.code ? this.codes.get(p.code) : undefined;
    if (!code) return this.error(ctx, 'unauthorized_client', 'client is not authorized');
    if (code.expiresAt <= Date.now())
      return this.error(ctx, 'invalid_grant', 'authorization code expired');
    if (code.codeChallenge !== undefined && !this.verifierMatches(code, p.code_verifier))
      return this.error(ctx, 'unauthorized_client', 'failed PKCE code challenge');
    if (code.requestedRedirectUri !== undefined && p.redirect_uri !== code.requestedRedirectUri)
      return this.error(
        ctx,
        'invalid_grant',
        'redirect_uri differs from the original authorization request',
      );
    if (code.clientId !== clientId) return this.error(ctx, 'invalid_grant', 'invalid grant');
    if (code.used) return this.error(ctx, 'invalid_grant', 'authorization code already used');
    code.used = true;
    const { access } = this.issuePair(
      { username: code.username, clientId, scope: code.scope },
      {
        accessToken: jwt('access'),
        refreshToken: jwt('refresh'),
        expires: true,
        refreshTtlSeconds: REFRESH_TTL_SECONDS,
      },
    );
    this.tokenResponse(ctx, access);
  }

  private refreshGrant(ctx: RequestContext, p: Params, clientId: string, secret: string): void {
    const app = this.apps.get(clientId);
    if (!app)
      return this.error(ctx, 'invalid_client', `cannot load client with client id: "${clientId}"`);
    if (app.clientSecret !== secret)
      return this.error(
        ctx,
        'invalid_client',
        secret ? 'invalid client secret' : 'invalid empty client secret',
      );
    const old = p.refresh_token ? this.tokens.get(p.refresh_token) : undefined;
    // A JWT that does not verify or has expired does not parse.
    if (
      !old ||
      old.type !== 'refresh' ||
      (old.expiresAt !== undefined && old.expiresAt <= Date.now())
    )
      return this.error(ctx, 'unauthorized_client', 'unable to parse refresh token');
    if (old.clientId !== clientId)
      return this.error(ctx, 'invalid_grant', 'refresh token belongs to a different client');
    if (old.revoked) return this.error(ctx, 'unauthorized_client', 'token was already used');
    const { access } = this.rotate(old, false, {
      accessToken: jwt('access'),
      refreshToken: jwt('refresh'),
      refreshTtlSeconds: REFRESH_TTL_SECONDS,
    });
    this.tokenResponse(ctx, access);
  }

  private tokenResponse(ctx: RequestContext, access: TokenRecord): void {
    sendJson(ctx.res, 200, {
      access_token: access.token,
      token_type: 'bearer',
      expires_in: this.accessTokenTtlSeconds,
      refresh_token: access.partner?.token,
    });
  }

  private error(ctx: RequestContext, error: string, description: string): void {
    sendJson(ctx.res, 400, { error, error_description: description });
  }

  // ---- API ---------------------------------------------------------------------------------------------------

  /** `Authorization: token …` or `bearer …`, HTTP Basic with a token as the password, or `?access_token=`. */
  private user(ctx: RequestContext): void {
    const auth = splitAuthorization(ctx.req);
    const given =
      auth?.scheme === 'token' || auth?.scheme === 'bearer'
        ? auth.value
        : auth?.scheme === 'basic'
          ? basicAuth(ctx.req)?.pass
          : (ctx.query.access_token ?? ctx.query.token);
    if (given === undefined)
      return sendJson(ctx.res, 401, { message: 'token is required', url: this.swaggerUrl() });
    const check = this.checkToken(given, ['access', 'personal']);
    if (check.state !== 'ok')
      return sendJson(ctx.res, 401, {
        message: 'invalid username, password or token',
        url: this.swaggerUrl(),
      });
    const u = check.user;
    sendJson(ctx.res, 200, {
      id: u.id,
      login: u.username,
      login_name: '',
      source_id: 0,
      full_name: u.name,
      email: `${u.username}@noreply.gitea.example`,
      avatar_url: u.avatarUrl,
      html_url: u.homeUrl,
      language: 'en-US',
      is_admin: false,
      last_login: '2026-11-27T10:11:12Z',
      created: '2021-03-04T05:06:07Z',
      restricted: false,
      active: true,
      prohibit_login: false,
      location: '',
      website: '',
      description: '',
      visibility: 'public',
      followers_count: 0,
      following_count: 0,
      starred_repos_count: 0,
      username: u.username,
    });
  }

  private swaggerUrl(): string {
    return `${this.baseUrl}/api/swagger`;
  }
}

/** Gitea's tokens are JWTs signed by the server: header, claims, signature. */
function jwt(kind: 'access' | 'refresh'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    gnt: randomBytes(4).readUInt32BE(),
    tt: kind === 'access' ? 0 : 1,
    jti: randomHex(8),
  };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
}
