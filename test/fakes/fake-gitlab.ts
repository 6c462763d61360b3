import { FakeProvider } from './base';
import type { AuthorizeDecision, ProviderFacts, RequestContext, Route, TokenRecord } from './types';
import {
  basicAuth,
  bodyParams,
  header,
  htmlPage,
  sendHtml,
  sendJson,
  splitAuthorization,
  type Params,
} from './http';
import { gitlabPersonalToken, isValidS256Challenge, randomHex } from './tokens';

/** Doorkeeper's English messages, which GitLab returns verbatim. */
const DOORKEEPER = {
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  unsupported_grant_type:
    'The authorization grant type is not supported by the authorization server.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  invalid_redirect_uri: 'The redirect URI included is not valid.',
  access_denied: 'The resource owner or authorization server denied the request.',
  revoke_unauthorized: 'You are not authorized to revoke this token',
} as const;

const EXPIRED = 'Token is expired. You can either do re-authorization or token refresh.';
const REVOKED = 'Token was revoked. You have to re-authorize from the user.';
const SCOPES = new Set([
  'api',
  'read_api',
  'read_user',
  'create_runner',
  'manage_runner',
  'k8s_proxy',
  'read_repository',
  'write_repository',
  'read_registry',
  'write_registry',
  'read_virtual_registry',
  'write_virtual_registry',
  'read_observability',
  'write_observability',
  'ai_features',
  'sudo',
  'admin_mode',
  'read_service_ping',
  'openid',
  'profile',
  'email',
]);
/** GET /user needs one of these. */
const USER_SCOPES = ['api', 'read_api', 'read_user'];
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** GitLab (gitlab.com or self-managed): Doorkeeper OAuth at the root, REST API under /api/v4. */
export class FakeGitLab extends FakeProvider {
  accessTokenTtlSeconds = 7200;
  readonly facts: ProviderFacts = {
    pkce: true,
    revocation: 'token',
    rotatesRefreshTokens: true,
    refreshEndsOldAccessToken: true,
  };

  constructor() {
    super('gitlab', 2_000_001);
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v4`;
  }

  /** OAuth tokens clone as `oauth2`; personal access tokens with any non-blank user name. */
  protected cloneAccepted(username: string, secret: string): boolean {
    const check = this.checkToken(secret, ['access', 'personal']);
    if (check.state !== 'ok') return false;
    return check.record.type === 'access' ? username === 'oauth2' : username.trim() !== '';
  }

  protected route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/oauth/authorize')
      return { endpoint: 'authorize', handle: (c) => this.handleAuthorize(c) };
    if (method === 'POST' && path === '/oauth/token')
      return { endpoint: 'token', handle: (c) => this.token(c) };
    if (method === 'POST' && path === '/oauth/revoke')
      return { endpoint: 'revoke', handle: (c) => this.revoke(c) };
    if (method === 'GET' && path === '/oauth/token/info')
      return { endpoint: 'other', handle: (c) => this.tokenInfo(c) };
    if (method === 'GET' && path === '/api/v4/user')
      return { endpoint: 'user', handle: (c) => this.user(c) };
    return undefined;
  }

  protected decideAuthorize(q: Params): AuthorizeDecision {
    const app = this.apps.get(q.client_id ?? '');
    if (!app) return { kind: 'error-page', status: 401, message: DOORKEEPER.invalid_client };
    if (q.redirect_uri !== app.redirectUri)
      return { kind: 'error-page', status: 400, message: DOORKEEPER.invalid_redirect_uri };
    const redirectUri = app.redirectUri;
    const error = (code: string, description: string): AuthorizeDecision => ({
      kind: 'error-redirect',
      redirectUri,
      params: { error: code, error_description: description },
    });
    if (q.response_type === undefined)
      return error('invalid_request', 'Missing required parameter: response_type.');
    if (q.response_type !== 'code')
      return error('unsupported_response_type', DOORKEEPER.unsupported_response_type);
    // GitLab documents state as required: a client that forgets it is open to CSRF.
    if (!q.state) return error('invalid_request', 'Missing required parameter: state.');
    const scopes = (q.scope ?? 'read_user').split(/[\s+]+/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !SCOPES.has(s)))
      return error('invalid_scope', DOORKEEPER.invalid_scope);
    let method: string | undefined;
    if (q.code_challenge !== undefined) {
      method = q.code_challenge_method ?? 'plain';
      if (method !== 'plain' && method !== 'S256')
        return error('invalid_request', 'The code_challenge_method must be one of plain, S256.');
      if (method === 'S256' && !isValidS256Challenge(q.code_challenge))
        return error('invalid_request', 'The code_challenge is invalid.');
    }
    return {
      kind: 'approve',
      app,
      redirectUri,
      requestedRedirectUri: q.redirect_uri,
      scope: scopes.join(' '),
      codeChallenge: q.code_challenge,
      codeChallengeMethod: method,
    };
  }

  protected deniedParams(): Params {
    return { error: 'access_denied', error_description: DOORKEEPER.access_denied };
  }

  protected newCode(): string {
    return randomHex(32);
  }

  protected newPersonalToken(): string {
    return gitlabPersonalToken();
  }

  protected override defaultPersonalScopes(): string[] {
    return ['api'];
  }

  protected override defaultAvatarUrl(_username: string, id: number): string {
    return `${this.baseUrl}/uploads/-/system/user/avatar/${id}/avatar.png`;
  }

  protected notFound(ctx: RequestContext): void {
    if (ctx.url.pathname.startsWith('/api/')) sendJson(ctx.res, 404, { error: '404 Not Found' });
    else sendHtml(ctx.res, 404, htmlPage('The page could not be found (404)', 'Page Not Found'));
  }

  protected serverErrorPage(status: number): string {
    return status === 502 || status === 504
      ? htmlPage(
          'GitLab is not responding (502)',
          'Whoops, GitLab is taking too much time to respond.',
        )
      : htmlPage(`We're sorry, something went wrong (${status})`, 'Try refreshing the page.');
  }

  // ---- token endpoint (Doorkeeper validation order) ------------------------------------------------------

  private token(ctx: RequestContext): void {
    // Rails merges query and body (form or JSON) parameters.
    const p: Params = { ...ctx.query, ...bodyParams(ctx.req, ctx.body, true) };
    const basic = basicAuth(ctx.req);
    const clientId = basic?.user ?? p.client_id;
    const secret = basic ? basic.pass : p.client_secret;
    const credentialsGiven = clientId !== undefined || secret !== undefined;
    const clientOk = this.clientValid(clientId, secret);

    switch (p.grant_type) {
      case undefined:
        return this.error(ctx, 400, 'invalid_request', 'Missing required parameter: grant_type.');
      case 'authorization_code': {
        const anyCode = p.code === undefined ? undefined : this.codes.get(p.code);
        if (anyCode?.codeChallenge !== undefined && !p.code_verifier)
          return this.error(
            ctx,
            400,
            'invalid_request',
            'Missing required parameter: code_verifier.',
          );
        if (!p.redirect_uri)
          return this.error(
            ctx,
            400,
            'invalid_request',
            'Missing required parameter: redirect_uri.',
          );
        // A confidential application must authenticate even with PKCE.
        if (!clientOk) return this.error(ctx, 401, 'invalid_client', DOORKEEPER.invalid_client);
        const code = this.findCode(p.code, clientId);
        if (!code || p.redirect_uri !== code.requestedRedirectUri)
          return this.error(ctx, 400, 'invalid_grant', DOORKEEPER.invalid_grant);
        // Doorkeeper compares a verifier even when no challenge was sent, so a stray verifier fails too.
        if (
          (code.codeChallenge !== undefined || p.code_verifier !== undefined) &&
          !this.verifierMatches(code, p.code_verifier)
        )
          return this.error(ctx, 400, 'invalid_grant', DOORKEEPER.invalid_grant);
        code.used = true;
        const pair = this.issuePair(
          { username: code.username, clientId: code.clientId, scope: code.scope },
          { accessToken: randomHex(32), refreshToken: randomHex(32), expires: true },
        );
        return this.tokenResponse(ctx, pair.access);
      }
      case 'refresh_token': {
        if (!p.refresh_token)
          return this.error(
            ctx,
            400,
            'invalid_request',
            'Missing required parameter: refresh_token.',
          );
        const old = this.findRefreshToken(p.refresh_token);
        if (!old) return this.error(ctx, 400, 'invalid_grant', DOORKEEPER.invalid_grant);
        if (credentialsGiven && !clientOk)
          return this.error(ctx, 401, 'invalid_client', DOORKEEPER.invalid_client);
        if (!clientOk || old.clientId !== clientId)
          return this.error(ctx, 400, 'invalid_grant', DOORKEEPER.invalid_grant);
        const { access } = this.rotate(old, true, {
          accessToken: randomHex(32),
          refreshToken: randomHex(32),
        });
        return this.tokenResponse(ctx, access);
      }
      default:
        return this.error(ctx, 400, 'unsupported_grant_type', DOORKEEPER.unsupported_grant_type);
    }
  }

  private tokenResponse(ctx: RequestContext, access: TokenRecord): void {
    sendJson(
      ctx.res,
      200,
      {
        access_token: access.token,
        token_type: 'Bearer',
        expires_in: this.accessTokenTtlSeconds,
        refresh_token: access.partner?.token,
        scope: access.scope,
        created_at: Math.floor(access.issuedAt / 1000),
      },
      NO_STORE,
    );
  }

  private error(ctx: RequestContext, status: number, error: string, description: string): void {
    const headers: Record<string, string> = { ...NO_STORE };
    if (status === 401)
      headers['www-authenticate'] =
        `Bearer realm="Doorkeeper", error="${error}", error_description="${description}"`;
    sendJson(ctx.res, status, { error, error_description: description }, headers);
  }

  /** RFC 7009: unknown tokens are 200 {}; a token of another client, or bad client credentials, 403. */
  private revoke(ctx: RequestContext): void {
    const p: Params = { ...ctx.query, ...bodyParams(ctx.req, ctx.body, true) };
    const basic = basicAuth(ctx.req);
    const clientId = basic?.user ?? p.client_id;
    const secret = basic ? basic.pass : p.client_secret;
    const forbidden = (): void =>
      sendJson(ctx.res, 403, {
        error: 'unauthorized_client',
        error_description: DOORKEEPER.revoke_unauthorized,
      });
    if (!this.clientValid(clientId, secret)) return forbidden();
    const record = p.token === undefined ? undefined : this.tokens.get(p.token);
    if (!record || record.type === 'personal') return sendJson(ctx.res, 200, {});
    if (record.clientId !== clientId) return forbidden();
    // Doorkeeper keeps access and refresh token in one row: revoking either kills both.
    record.revoked = true;
    if (record.partner) record.partner.revoked = true;
    this.revoked.push(record.token);
    sendJson(ctx.res, 200, {});
  }

  // ---- API ---------------------------------------------------------------------------------------------------

  private user(ctx: RequestContext): void {
    const auth = splitAuthorization(ctx.req);
    const privateToken = header(ctx.req, 'private-token') ?? ctx.query.private_token;
    const bearer = auth?.scheme === 'bearer' ? auth.value : ctx.query.access_token;
    // PRIVATE-TOKEN takes personal tokens only; Bearer / access_token take OAuth and personal tokens.
    const check =
      privateToken !== undefined
        ? this.checkToken(privateToken, ['personal'])
        : this.checkToken(bearer, ['access', 'personal']);
    const rateHeaders = {
      'ratelimit-limit': '2000',
      'ratelimit-observed': '1',
      'ratelimit-remaining': '1999',
      'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60),
    };
    switch (check.state) {
      case 'unknown':
        return sendJson(ctx.res, 401, { message: '401 Unauthorized' }, rateHeaders);
      case 'expired':
        return this.invalidToken(ctx, EXPIRED);
      case 'revoked':
        return this.invalidToken(ctx, REVOKED);
      case 'ok':
        break;
    }
    const scopes = check.record.scope.split(' ');
    if (!USER_SCOPES.some((s) => scopes.includes(s)))
      return sendJson(ctx.res, 403, {
        error: 'insufficient_scope',
        error_description:
          'The request requires higher privileges than provided by the access token.',
        scope: USER_SCOPES.join(' '),
      });
    const u = check.user;
    sendJson(
      ctx.res,
      200,
      {
        id: u.id,
        username: u.username,
        name: u.name,
        state: 'active',
        locked: false,
        avatar_url: u.avatarUrl,
        web_url: u.homeUrl,
        created_at: '2020-01-02T03:04:05.678Z',
        bio: '',
        public_email: null,
        bot: false,
      },
      rateHeaders,
    );
  }

  private invalidToken(ctx: RequestContext, description: string): void {
    sendJson(
      ctx.res,
      401,
      { error: 'invalid_token', error_description: description },
      {
        'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`,
      },
    );
  }

  /** Doorkeeper's token introspection for OAuth tokens (not personal ones). */
  private tokenInfo(ctx: RequestContext): void {
    const auth = splitAuthorization(ctx.req);
    const check = this.checkToken(auth?.scheme === 'bearer' ? auth.value : ctx.query.access_token, [
      'access',
    ]);
    if (check.state !== 'ok') {
      const description = {
        unknown: 'The access token is invalid',
        expired: 'The access token expired',
        revoked: 'The access token was revoked',
      }[check.state];
      return sendJson(
        ctx.res,
        401,
        { error: 'invalid_token', error_description: description, state: 'unauthorized' },
        {
          'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
        },
      );
    }
    const { record, user } = check;
    const expiresIn =
      record.expiresAt === undefined
        ? null
        : Math.max(0, Math.floor((record.expiresAt - Date.now()) / 1000));
    sendJson(ctx.res, 200, {
      resource_owner_id: user.id,
      scope: record.scope.split(' '),
      expires_in: expiresIn,
      application: { uid: record.clientId },
      created_at: Math.floor(record.issuedAt / 1000),
      scopes: record.scope.split(' '),
      expires_in_seconds: expiresIn,
    });
  }
}
