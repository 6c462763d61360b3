import { FakeProvider } from './base';
import type {
  AuthorizeDecision,
  FakeUser,
  ProviderFacts,
  RequestContext,
  Route,
  TokenRecord,
} from './types';
import {
  basicAuth,
  htmlPage,
  mediaType,
  parseForm,
  sendHtml,
  sendJson,
  splitAuthorization,
  type Params,
} from './http';
import { atlassianApiToken, bitbucketAccessToken, randomBase62, stableUuid } from './tokens';

/** Scopes live on the OAuth consumer, not in the request. */
const CONSUMER_SCOPES = 'account repository';
/** Unused refresh tokens expire after 3 months. */
const REFRESH_TTL_SECONDS = 90 * 24 * 3600;
const EXPIRED = 'Access token expired. Use your refresh token to obtain a new access token.';

/**
 * Bitbucket Cloud: OAuth under /site/oauth2 (Basic client auth + form body only), API under /2.0. Refresh
 * tokens rotate on every use; access tokens only in `Authorization: Bearer`; passwords over HTTP Basic.
 */
export class FakeBitbucket extends FakeProvider {
  accessTokenTtlSeconds = 7200;
  readonly facts: ProviderFacts = {
    pkce: false,
    revocation: 'none',
    rotatesRefreshTokens: true,
    refreshEndsOldAccessToken: false,
  };
  private readonly appPasswords = new Map<string, Set<string>>();

  constructor() {
    super('bitbucket', 4_000_001);
  }

  get apiUrl(): string {
    return `${this.baseUrl}/2.0`;
  }

  /** An app password (or API token) accepted with `username` over HTTP Basic. */
  override addAppPassword(username: string, password: string): void {
    if (!this.users.has(username)) throw new Error(`bitbucket fake: no user ${username}`);
    const set = this.appPasswords.get(username) ?? new Set<string>();
    set.add(password);
    this.appPasswords.set(username, set);
  }

  /** Also revokes an app password of that value. */
  override revokeToken(token: string): void {
    super.revokeToken(token);
    for (const set of this.appPasswords.values()) set.delete(token);
  }

  /** OAuth tokens clone as `x-token-auth`; app passwords with their user. */
  protected cloneAccepted(username: string, secret: string): boolean {
    if (username === 'x-token-auth') return this.checkToken(secret, ['access']).state === 'ok';
    return this.appPasswords.get(username)?.has(secret) ?? false;
  }

  protected route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/site/oauth2/authorize')
      return { endpoint: 'authorize', handle: (c) => this.handleAuthorize(c) };
    if (method === 'POST' && path === '/site/oauth2/access_token')
      return { endpoint: 'token', handle: (c) => this.token(c) };
    if (method === 'GET' && path === '/2.0/user')
      return { endpoint: 'user', handle: (c) => this.user(c) };
    return undefined;
  }

  protected decideAuthorize(q: Params): AuthorizeDecision {
    const app = this.apps.get(q.client_id ?? '');
    if (!app) return { kind: 'error-page', status: 400, message: 'Invalid client_id' };
    if (q.redirect_uri !== undefined && !q.redirect_uri.startsWith(app.redirectUri))
      return {
        kind: 'error-page',
        status: 400,
        message: 'The redirect_uri does not match the callback URL of this OAuth consumer',
      };
    const redirectUri = q.redirect_uri ?? app.redirectUri;
    if (q.response_type !== 'code')
      return {
        kind: 'error-redirect',
        redirectUri,
        params: {
          error: 'unsupported_response_type',
          error_description: 'Unsupported response type',
        },
      };
    // scope and PKCE parameters are ignored (but recorded in calls()).
    return {
      kind: 'approve',
      app,
      redirectUri,
      requestedRedirectUri: q.redirect_uri,
      scope: CONSUMER_SCOPES,
    };
  }

  protected deniedParams(): Params {
    return {
      error: 'access_denied',
      error_description: 'The user denied access to the application',
    };
  }

  protected newCode(): string {
    return randomBase62(18);
  }

  protected newPersonalToken(): string {
    return atlassianApiToken();
  }

  protected override defaultAvatarUrl(username: string): string {
    return `${this.baseUrl}/account/${encodeURIComponent(username)}/avatar/`;
  }

  protected override defaultHomeUrl(username: string): string {
    return `${this.baseUrl}/%7B${userUuid(username)}%7D/`;
  }

  protected notFound(ctx: RequestContext): void {
    if (ctx.url.pathname.startsWith('/2.0/'))
      sendJson(ctx.res, 404, { type: 'error', error: { message: 'Resource not found' } });
    else sendHtml(ctx.res, 404, htmlPage('Bitbucket', 'Repository not found'));
  }

  protected serverErrorPage(status: number): string {
    return htmlPage('Bitbucket', `Something went wrong (${status}). We're working on it.`);
  }

  // ---- token endpoint --------------------------------------------------------------------------------------

  private token(ctx: RequestContext): void {
    const basic = basicAuth(ctx.req);
    if (!basic)
      return sendJson(ctx.res, 401, {
        error: 'invalid_client',
        error_description:
          'Client credentials missing; this request needs to be authenticated with the OAuth client id and secret',
      });
    if (!this.clientValid(basic.user, basic.pass))
      return this.error(ctx, 'unauthorized_client', 'Invalid OAuth client credentials');
    // Only a form body is read: JSON (or query parameters) leave grant_type unset, "None" in Python.
    const p = mediaType(ctx.req) === 'application/x-www-form-urlencoded' ? parseForm(ctx.body) : {};
    switch (p.grant_type) {
      case 'authorization_code': {
        const code = this.findCode(p.code, basic.user);
        if (!code) return this.error(ctx, 'invalid_grant', 'The specified code is not valid.');
        if (code.requestedRedirectUri !== undefined && p.redirect_uri !== code.requestedRedirectUri)
          return this.error(ctx, 'invalid_grant', 'Redirect URI mismatch');
        code.used = true;
        const { access } = this.issuePair(
          { username: code.username, clientId: code.clientId, scope: code.scope },
          {
            accessToken: bitbucketAccessToken(),
            refreshToken: randomBase62(18),
            expires: true,
            refreshTtlSeconds: REFRESH_TTL_SECONDS,
          },
        );
        return this.tokenResponse(ctx, access, 'authorization_code');
      }
      case 'refresh_token': {
        const old = this.findRefreshToken(p.refresh_token, basic.user);
        if (!old) return this.error(ctx, 'invalid_grant', 'Invalid refresh_token');
        // Rotation: the old refresh token dies; the old access token lives until it expires.
        const { access } = this.rotate(old, false, {
          accessToken: bitbucketAccessToken(),
          refreshToken: randomBase62(18),
          refreshTtlSeconds: REFRESH_TTL_SECONDS,
        });
        return this.tokenResponse(ctx, access, 'refresh_token');
      }
      default:
        return this.error(
          ctx,
          'invalid_grant',
          `Unsupported grant type: ${p.grant_type ?? 'None'}`,
        );
    }
  }

  /** Bitbucket's response carries a `state` field naming the grant (not the OAuth state). */
  private tokenResponse(ctx: RequestContext, access: TokenRecord, grant: string): void {
    sendJson(ctx.res, 200, {
      access_token: access.token,
      scope: access.scope,
      expires_in: this.accessTokenTtlSeconds,
      refresh_token: access.partner?.token,
      token_type: 'bearer',
      state: grant,
    });
  }

  private error(ctx: RequestContext, error: string, description: string): void {
    sendJson(ctx.res, 400, { error, error_description: description });
  }

  // ---- API ---------------------------------------------------------------------------------------------------

  private user(ctx: RequestContext): void {
    const invalid = (message = 'Invalid credentials'): void =>
      sendJson(
        ctx.res,
        401,
        { type: 'error', error: { message } },
        { 'www-authenticate': 'Basic realm="Bitbucket.org HTTP"' },
      );
    const auth = splitAuthorization(ctx.req);
    let user: FakeUser | undefined;
    if (auth?.scheme === 'bearer') {
      // Only OAuth access tokens as Bearer; ?access_token= is refused since 2026-05-04.
      const check = this.checkToken(auth.value, ['access']);
      if (check.state === 'expired') return invalid(EXPIRED);
      if (check.state !== 'ok') return invalid();
      user = check.user;
    } else if (auth?.scheme === 'basic') {
      user = this.passwordUser(ctx);
      if (!user) return invalid();
    } else {
      return invalid();
    }
    const uuid = `{${userUuid(user.username)}}`;
    sendJson(
      ctx.res,
      200,
      {
        display_name: user.name,
        links: {
          self: { href: `${this.apiUrl}/users/${encodeURIComponent(uuid)}` },
          avatar: { href: user.avatarUrl },
          repositories: { href: `${this.apiUrl}/repositories/${encodeURIComponent(uuid)}` },
          html: { href: user.homeUrl },
        },
        created_on: '2020-01-02T03:04:05.678901+00:00',
        type: 'user',
        uuid,
        has_2fa_enabled: null,
        username: user.username,
        is_staff: false,
        account_id: `557058:${stableUuid(`account:${user.username}`)}`,
        nickname: user.username,
        account_status: 'active',
        location: null,
      },
      {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-resource': 'api',
        'x-ratelimit-nearlimit': 'false',
      },
    );
  }

  /** HTTP Basic username + app password or API token. */
  private passwordUser(ctx: RequestContext): FakeUser | undefined {
    const basic = basicAuth(ctx.req);
    const user = basic ? this.users.get(basic.user) : undefined;
    if (!basic || !user) return undefined;
    if (this.appPasswords.get(user.username)?.has(basic.pass)) return user;
    const check = this.checkToken(basic.pass, ['personal']);
    return check.state === 'ok' && check.user === user ? user : undefined;
  }
}

function userUuid(username: string): string {
  return stableUuid(`user:${username}`);
}
