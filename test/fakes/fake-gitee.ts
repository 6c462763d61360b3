import { FakeProvider } from './base';
import type { AuthorizeDecision, ProviderFacts, RequestContext, Route, TokenRecord } from './types';
import {
  basicAuth,
  bodyParams,
  header,
  htmlPage,
  nginxPage,
  sendHtml,
  sendJson,
  splitAuthorization,
  type Params,
} from './http';
import { randomHex } from './tokens';

/** Gitee runs Doorkeeper with its zh-CN messages. */
const MESSAGES = {
  invalid_grant: '授权方式无效，或者登录回调地址无效、过期或已被撤销',
  invalid_client: '由于未知、不支持或没有客户端，认证失败',
  invalid_request: '用户请求缺少必要参数，或者参数值、格式不正确。',
  unsupported_grant_type: '授权类型不被授权服务器支持。',
  unsupported_response_type: '授权服务器不支持该响应类型。',
  invalid_scope: '请求的授权范围无效、未知或格式不正确。',
  access_denied: '资源所有者或授权服务器拒绝了请求。',
} as const;

const SCOPES = new Set([
  'user_info',
  'projects',
  'pull_requests',
  'issues',
  'notes',
  'keys',
  'hook',
  'groups',
  'gists',
  'enterprises',
  'emails',
]);

/** Gitee: OAuth at the root, API under /api/v5; every request needs a User-Agent. No PKCE, no revocation. */
export class FakeGitee extends FakeProvider {
  accessTokenTtlSeconds = 86400;
  readonly facts: ProviderFacts = {
    pkce: false,
    revocation: 'none',
    rotatesRefreshTokens: true,
    refreshEndsOldAccessToken: true,
  };

  constructor() {
    super('gitee', 3_000_001);
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v5`;
  }

  /** OAuth tokens clone as `oauth2`; a private token with the account's own user name. */
  protected cloneAccepted(username: string, secret: string): boolean {
    const check = this.checkToken(secret, ['access', 'personal']);
    if (check.state !== 'ok') return false;
    return check.record.type === 'access'
      ? username === 'oauth2'
      : username === check.user.username;
  }

  protected route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/oauth/authorize')
      return { endpoint: 'authorize', handle: (c) => this.handleAuthorize(c) };
    if (method === 'POST' && path === '/oauth/token')
      return { endpoint: 'token', handle: (c) => this.token(c) };
    if (method === 'GET' && path === '/api/v5/user')
      return { endpoint: 'user', handle: (c) => this.user(c) };
    return undefined;
  }

  /** Gitee's front door answers 403 to any request without a User-Agent, API and OAuth alike. */
  protected override admit(ctx: RequestContext): boolean {
    if (header(ctx.req, 'user-agent')) return true;
    sendHtml(ctx.res, 403, nginxPage(403, 'Forbidden'));
    return false;
  }

  protected decideAuthorize(q: Params): AuthorizeDecision {
    const app = this.apps.get(q.client_id ?? '');
    if (!app) return { kind: 'error-page', status: 404, message: '应用不存在或已被删除' };
    if (q.redirect_uri !== app.redirectUri)
      return { kind: 'error-page', status: 400, message: 'redirect_uri 与应用回调地址不一致' };
    const error = (code: keyof typeof MESSAGES): AuthorizeDecision => ({
      kind: 'error-redirect',
      redirectUri: app.redirectUri,
      params: { error: code, error_description: MESSAGES[code] },
    });
    if (q.response_type === undefined) return error('invalid_request');
    if (q.response_type !== 'code') return error('unsupported_response_type');
    const scopes = (q.scope ?? 'user_info').split(/[\s+]+/).filter(Boolean);
    if (scopes.some((s) => !SCOPES.has(s))) return error('invalid_scope');
    // No PKCE: code_challenge is ignored (but recorded in calls()).
    return {
      kind: 'approve',
      app,
      redirectUri: app.redirectUri,
      requestedRedirectUri: q.redirect_uri,
      scope: scopes.join(' '),
    };
  }

  protected deniedParams(): Params {
    return { error: 'access_denied', error_description: MESSAGES.access_denied };
  }

  protected newCode(): string {
    return randomHex(32);
  }

  protected newPersonalToken(): string {
    return randomHex(16);
  }

  protected override defaultAvatarUrl(username: string, id: number): string {
    return `${this.baseUrl}/assets/${id}/${encodeURIComponent(username)}_avatar.png`;
  }

  protected notFound(ctx: RequestContext): void {
    if (ctx.url.pathname.startsWith('/api/')) sendJson(ctx.res, 404, { message: 'Not Found' });
    else sendHtml(ctx.res, 404, htmlPage('404', '您所访问的页面不存在'));
  }

  protected serverErrorPage(status: number): string {
    const reasons: Record<number, string> = {
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Temporarily Unavailable',
      504: 'Gateway Time-out',
    };
    return nginxPage(status, reasons[status] ?? 'Error');
  }

  // ---- token endpoint: parameters documented in the query string, client_secret in the body --------------

  private token(ctx: RequestContext): void {
    // Rails merges query and body (form or JSON): documented clients put all but the secret in the query.
    const p: Params = { ...ctx.query, ...bodyParams(ctx.req, ctx.body, true) };
    const basic = basicAuth(ctx.req);
    const clientId = basic?.user ?? p.client_id;
    const secret = basic ? basic.pass : p.client_secret;
    switch (p.grant_type) {
      case 'authorization_code': {
        if (!p.code || !p.redirect_uri) return this.error(ctx, 400, 'invalid_request');
        if (!this.clientValid(clientId, secret)) return this.error(ctx, 401, 'invalid_client');
        const code = this.findCode(p.code, clientId);
        if (!code || code.requestedRedirectUri !== p.redirect_uri)
          return this.error(ctx, 400, 'invalid_grant');
        code.used = true;
        const { access } = this.issuePair(
          { username: code.username, clientId: code.clientId, scope: code.scope },
          { accessToken: randomHex(16), refreshToken: randomHex(32), expires: true },
        );
        return this.tokenResponse(ctx, access);
      }
      case 'refresh_token': {
        // Documented without client credentials; if a client sends them they must be right.
        if (!p.refresh_token) return this.error(ctx, 400, 'invalid_request');
        const old = this.findRefreshToken(p.refresh_token);
        if (!old) return this.error(ctx, 400, 'invalid_grant');
        if ((clientId !== undefined || secret !== undefined) && !this.clientValid(clientId, secret))
          return this.error(ctx, 401, 'invalid_client');
        const { access } = this.rotate(old, true, {
          accessToken: randomHex(16),
          refreshToken: randomHex(32),
        });
        return this.tokenResponse(ctx, access);
      }
      case undefined:
        return this.error(ctx, 400, 'invalid_request');
      default:
        return this.error(ctx, 400, 'unsupported_grant_type');
    }
  }

  private tokenResponse(ctx: RequestContext, access: TokenRecord): void {
    sendJson(ctx.res, 200, {
      access_token: access.token,
      token_type: 'bearer',
      expires_in: this.accessTokenTtlSeconds,
      refresh_token: access.partner?.token,
      scope: access.scope,
      created_at: Math.floor(access.issuedAt / 1000),
    });
  }

  private error(ctx: RequestContext, status: number, error: keyof typeof MESSAGES): void {
    sendJson(ctx.res, status, { error, error_description: MESSAGES[error] });
  }

  // ---- API ---------------------------------------------------------------------------------------------------

  private user(ctx: RequestContext): void {
    const auth = splitAuthorization(ctx.req);
    const fromHeader =
      auth?.scheme === 'token' || auth?.scheme === 'bearer' ? auth.value : undefined;
    const check = this.checkToken(ctx.query.access_token ?? fromHeader, ['access', 'personal']);
    if (check.state === 'expired')
      return sendJson(ctx.res, 401, { message: '401 Unauthorized: Access token is expired' });
    if (check.state !== 'ok')
      return sendJson(ctx.res, 401, { message: '401 Unauthorized: Access token does not exist' });
    const u = check.user;
    sendJson(ctx.res, 200, {
      id: u.id,
      login: u.username,
      name: u.name,
      avatar_url: u.avatarUrl,
      url: `${this.apiUrl}/users/${u.username}`,
      html_url: u.homeUrl,
      remark: '',
      type: 'User',
      blog: null,
      weibo: null,
      bio: '',
      public_repos: 2,
      public_gists: 0,
      followers: 0,
      following: 0,
      stared: 0,
      watched: 3,
      created_at: '2020-01-02T11:04:05+08:00',
      updated_at: '2024-05-06T15:08:09+08:00',
      email: null,
    });
  }
}
