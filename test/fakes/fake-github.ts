import { FakeProvider } from './base';
import type { AuthorizeDecision, ProviderFacts, RequestContext, Route } from './types';
import {
  basicAuth,
  bodyParams,
  header,
  htmlPage,
  parseJsonObject,
  sendEmpty,
  sendForm,
  sendHtml,
  sendJson,
  splitAuthorization,
  type Params,
} from './http';
import { githubToken, isValidS256Challenge, randomHex } from './tokens';

const DOCS = 'https://docs.github.com';
const TOKEN_ERROR_URI = `${DOCS}/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors`;
const AUTHORIZE_ERROR_URI = `${DOCS}/apps/managing-oauth-apps/troubleshooting-authorization-request-errors`;

type TokenError =
  | 'incorrect_client_credentials'
  | 'bad_verification_code'
  | 'redirect_uri_mismatch'
  | 'bad_refresh_token'
  | 'unsupported_grant_type';

const TOKEN_ERRORS: Record<TokenError, string> = {
  incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
  bad_verification_code: 'The code passed is incorrect or expired.',
  redirect_uri_mismatch:
    'The redirect_uri MUST match the registered callback URL for this application.',
  bad_refresh_token: 'The refresh token passed is incorrect or expired.',
  unsupported_grant_type: 'The grant type is not supported.',
};

/** GitHub revokes the oldest OAuth App token beyond 10 per user, app and scope. */
const TOKENS_PER_SCOPE = 10;

/**
 * GitHub (GHES layout: web at the root, REST API under /api/v3). OAuth App mode issues non-expiring gho_
 * tokens; appMode issues GitHub App user tokens (ghu_/ghr_, 8 h / 6 months, rotating).
 */
export class FakeGitHub extends FakeProvider {
  /** false: OAuth App (gho_, no expiry, no refresh token); true: GitHub App user tokens (ghu_ + ghr_). */
  appMode = false;
  accessTokenTtlSeconds = 28800;
  refreshTokenTtlSeconds = 15811200;
  readonly facts: ProviderFacts = {
    pkce: true,
    revocation: 'grant',
    rotatesRefreshTokens: true,
    refreshEndsOldAccessToken: false,
  };
  private apiCalls = 0;

  constructor() {
    super('github', 1_000_001);
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v3`;
  }

  /** Expiring tokens are GitHub App user tokens (ghu_, with a ghr_ refresh token). */
  override useExpiringTokens(ttlSeconds: number): void {
    super.useExpiringTokens(ttlSeconds);
    this.appMode = true;
  }

  override useUsualTokens(): void {
    super.useUsualTokens();
    this.appMode = false;
  }

  /** Any user name with a token as the password (`x-access-token` by convention). */
  protected cloneAccepted(username: string, secret: string): boolean {
    return username !== '' && this.checkToken(secret, ['access', 'personal']).state === 'ok';
  }

  protected route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/login/oauth/authorize')
      return { endpoint: 'authorize', handle: (c) => this.handleAuthorize(c) };
    if (method === 'POST' && path === '/login/oauth/access_token')
      return { endpoint: 'token', handle: (c) => this.token(c) };
    if (method === 'GET' && path === '/api/v3/user')
      return { endpoint: 'user', handle: (c) => this.user(c) };
    const revoke = /^\/api\/v3\/applications\/([^/]+)\/(grant|token)$/.exec(path);
    if (method === 'DELETE' && revoke)
      return {
        endpoint: 'revoke',
        handle: (c) => this.revoke(c, decodeURIComponent(revoke[1]), revoke[2] === 'grant'),
      };
    return undefined;
  }

  /** The REST API refuses requests without a User-Agent; the web (OAuth) endpoints don't care. */
  protected override admit(ctx: RequestContext): boolean {
    if (!ctx.url.pathname.startsWith('/api/v3/') || header(ctx.req, 'user-agent')) return true;
    sendJson(
      ctx.res,
      403,
      {
        message:
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
        documentation_url: `${DOCS}/rest/overview/resources-in-the-rest-api#user-agent-required`,
        status: '403',
      },
      this.rateHeaders(),
    );
    return false;
  }

  protected decideAuthorize(q: Params): AuthorizeDecision {
    const app = this.apps.get(q.client_id ?? '');
    if (!app) return { kind: 'error-page', status: 404, message: 'Not Found' };
    const mismatch = (): AuthorizeDecision => ({
      kind: 'error-redirect',
      redirectUri: app.redirectUri,
      params: {
        error: 'redirect_uri_mismatch',
        error_description: TOKEN_ERRORS.redirect_uri_mismatch,
        error_uri: `${AUTHORIZE_ERROR_URI}/#redirect-uri-mismatch`,
      },
    });
    if (q.redirect_uri !== undefined && !redirectAllowed(app.redirectUri, q.redirect_uri))
      return mismatch();
    const redirectUri = q.redirect_uri ?? app.redirectUri;
    const invalid = (description: string): AuthorizeDecision => ({
      kind: 'error-redirect',
      redirectUri,
      params: { error: 'invalid_request', error_description: description },
    });
    if (q.code_challenge !== undefined) {
      if (q.code_challenge_method !== 'S256') return invalid('code_challenge_method must be S256');
      if (!isValidS256Challenge(q.code_challenge)) return invalid('code_challenge is invalid');
    }
    return {
      kind: 'approve',
      app,
      redirectUri,
      requestedRedirectUri: q.redirect_uri,
      // Requested space- or comma-separated; GitHub reports granted scopes comma-separated.
      scope: (q.scope ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(','),
      codeChallenge: q.code_challenge,
      codeChallengeMethod: q.code_challenge === undefined ? undefined : 'S256',
    };
  }

  protected deniedParams(): Params {
    return {
      error: 'access_denied',
      error_description: 'The user has denied your application access.',
      error_uri: `${AUTHORIZE_ERROR_URI}/#access-denied`,
    };
  }

  protected newCode(): string {
    return randomHex(10);
  }

  protected newPersonalToken(): string {
    return githubToken('ghp');
  }

  protected override defaultAvatarUrl(_username: string, id: number): string {
    return `${this.baseUrl}/avatars/u/${id}?v=4`;
  }

  protected notFound(ctx: RequestContext): void {
    if (ctx.url.pathname.startsWith('/api/'))
      sendJson(ctx.res, 404, {
        message: 'Not Found',
        documentation_url: `${DOCS}/rest`,
        status: '404',
      });
    else sendHtml(ctx.res, 404, htmlPage('Page not found · GitHub', 'Not Found'));
  }

  protected serverErrorPage(status: number): string {
    return htmlPage(
      'Unicorn! · GitHub',
      `No server is currently available to service your request. (${status})`,
    );
  }

  // ---- token endpoint: errors are HTTP 200 with an `error` field ---------------------------------------------

  private token(ctx: RequestContext): void {
    const p: Params = { ...ctx.query, ...bodyParams(ctx.req, ctx.body, true) };
    const basic = basicAuth(ctx.req);
    const clientId = p.client_id ?? basic?.user;
    const secret = p.client_secret ?? basic?.pass;
    const json = (header(ctx.req, 'accept') ?? '').toLowerCase().includes('application/json');
    const reply = (fields: Record<string, string | number>): void =>
      json ? sendJson(ctx.res, 200, fields) : sendForm(ctx.res, 200, fields);
    const fail = (error: TokenError): void =>
      reply({
        error,
        error_description: TOKEN_ERRORS[error],
        error_uri: `${TOKEN_ERROR_URI}/#${error.replace(/_/g, '-')}`,
      });

    if (!this.clientValid(clientId, secret) || clientId === undefined)
      return fail('incorrect_client_credentials');
    const grantType = p.grant_type ?? 'authorization_code';
    if (grantType === 'refresh_token') {
      const old = this.findRefreshToken(p.refresh_token, clientId);
      if (!old) return fail('bad_refresh_token');
      const { access, refresh } = this.rotate(old, false, {
        accessToken: githubToken('ghu'),
        refreshToken: githubToken('ghr'),
        refreshTtlSeconds: this.refreshTokenTtlSeconds,
      });
      return reply(this.appTokenFields(access.token, refresh.token));
    }
    if (grantType !== 'authorization_code') return fail('unsupported_grant_type');

    const code = this.findCode(p.code, clientId);
    if (!code) return fail('bad_verification_code');
    const expectedRedirect = code.requestedRedirectUri ?? this.apps.get(clientId)?.redirectUri;
    if (p.redirect_uri !== undefined && p.redirect_uri !== expectedRedirect)
      return fail('redirect_uri_mismatch');
    if (code.codeChallenge !== undefined && !this.verifierMatches(code, p.code_verifier))
      return fail('bad_verification_code');
    code.used = true;

    const grant = { username: code.username, clientId, scope: code.scope };
    if (this.appMode) {
      const { access, refresh } = this.issuePair(grant, {
        accessToken: githubToken('ghu'),
        refreshToken: githubToken('ghr'),
        expires: true,
        refreshTtlSeconds: this.refreshTokenTtlSeconds,
      });
      return reply(this.appTokenFields(access.token, refresh?.token ?? ''));
    }
    const { access } = this.issuePair(grant, { accessToken: githubToken('gho'), expires: false });
    this.capTokensPerScope(code.username, clientId, code.scope);
    reply({ access_token: access.token, scope: code.scope, token_type: 'bearer' });
  }

  private appTokenFields(
    accessToken: string,
    refreshToken: string,
  ): Record<string, string | number> {
    return {
      access_token: accessToken,
      expires_in: this.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      refresh_token_expires_in: this.refreshTokenTtlSeconds,
      scope: '', // GitHub Apps have permissions, not scopes
      token_type: 'bearer',
    };
  }

  private capTokensPerScope(username: string, clientId: string, scope: string): void {
    const live = this.liveTokens(
      (r) =>
        r.type === 'access' &&
        r.username === username &&
        r.clientId === clientId &&
        r.scope === scope,
    ).sort((a, b) => a.issuedAt - b.issuedAt);
    for (const old of live.slice(0, Math.max(0, live.length - TOKENS_PER_SCOPE)))
      old.revoked = true;
  }

  // ---- REST API ----------------------------------------------------------------------------------------------

  private rateHeaders(): Record<string, string> {
    this.apiCalls += 1;
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - this.apiCalls)),
      'x-ratelimit-used': String(this.apiCalls),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `${randomHex(4).toUpperCase()}:${randomHex(6).toUpperCase()}`,
    };
  }

  private user(ctx: RequestContext): void {
    const auth = splitAuthorization(ctx.req);
    if (!auth)
      return sendJson(
        ctx.res,
        401,
        {
          message: 'Requires authentication',
          documentation_url: `${DOCS}/rest/users/users#get-the-authenticated-user`,
          status: '401',
        },
        this.rateHeaders(),
      );
    const token = auth.scheme === 'bearer' || auth.scheme === 'token' ? auth.value : undefined;
    const check = this.checkToken(token, ['access', 'personal']);
    if (check.state !== 'ok') return this.badCredentials(ctx);
    const u = check.user;
    const headers = this.rateHeaders();
    // Classic tokens report their scopes; GitHub App user tokens have permissions instead.
    if (!check.record.token.startsWith('ghu_'))
      headers['x-oauth-scopes'] = check.record.scope
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(', ');
    sendJson(
      ctx.res,
      200,
      {
        login: u.username,
        id: u.id,
        node_id: Buffer.from(`04:User${u.id}`).toString('base64'),
        avatar_url: u.avatarUrl,
        gravatar_id: '',
        url: `${this.apiUrl}/users/${u.username}`,
        html_url: u.homeUrl,
        type: 'User',
        site_admin: false,
        name: u.name,
        company: null,
        blog: '',
        location: null,
        email: null,
        bio: null,
        public_repos: 3,
        followers: 0,
        following: 0,
        created_at: '2020-01-02T03:04:05Z',
        updated_at: '2024-05-06T07:08:09Z',
      },
      headers,
    );
  }

  private badCredentials(ctx: RequestContext): void {
    sendJson(
      ctx.res,
      401,
      { message: 'Bad credentials', documentation_url: `${DOCS}/rest`, status: '401' },
      this.rateHeaders(),
    );
  }

  /** DELETE /applications/{client_id}/grant|token with Basic client_id:client_secret. */
  private revoke(ctx: RequestContext, clientId: string, wholeGrant: boolean): void {
    const basic = basicAuth(ctx.req);
    if (!basic || !this.clientValid(basic.user, basic.pass)) return this.badCredentials(ctx);
    const notFound = (): void =>
      sendJson(
        ctx.res,
        404,
        {
          message: 'Not Found',
          documentation_url: `${DOCS}/rest/apps/oauth-applications`,
          status: '404',
        },
        this.rateHeaders(),
      );
    if (basic.user !== clientId) return notFound();
    const token = parseJsonObject(ctx.body)?.access_token;
    if (!token)
      return sendJson(
        ctx.res,
        422,
        {
          message: 'Invalid request.\n\n"access_token" wasn\'t supplied.',
          documentation_url: `${DOCS}/rest/apps/oauth-applications`,
          status: '422',
        },
        this.rateHeaders(),
      );
    const record = this.tokens.get(token);
    if (!record || record.type !== 'access' || record.revoked || record.clientId !== clientId)
      return notFound();
    if (wholeGrant) this.revokeGrant(record.username, clientId);
    else record.revoked = true;
    this.revoked.push(token);
    sendEmpty(ctx.res, 204, this.rateHeaders());
  }
}

/**
 * GitHub accepts the registered callback or a sub-path of it on the same host and port; the query, when the
 * registered URL has one, must be the same.
 */
function redirectAllowed(registered: string, given: string): boolean {
  if (given === registered) return true;
  let r: URL;
  let g: URL;
  try {
    r = new URL(registered);
    g = new URL(given);
  } catch {
    return false;
  }
  const base = r.pathname.endsWith('/') ? r.pathname : `${r.pathname}/`;
  const pathOk = g.pathname === r.pathname || g.pathname.startsWith(base);
  return r.origin === g.origin && pathOk && (r.search === '' || r.search === g.search);
}
