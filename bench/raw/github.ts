import { Agent, request } from 'undici';
import type { GitHubApp } from './config';
import { RawError } from './errors';

/** GitHub and Gitee refuse requests without a User-Agent; the same one as the service's. */
const USER_AGENT = 'git-auth-service/1.0 (+ServiceStage git authorization)';

/** OAuth errors that are the user's grant failing; any other is our configuration or the provider. */
const GRANT_REFUSALS = new Set([
  'invalid_grant',
  'bad_verification_code',
  'bad_refresh_token',
  'unverified_user_email',
]);

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly expiresAt: Date | null;
  readonly refreshTokenExpiresAt: Date | null;
  readonly scope: string | null;
}

export interface Profile {
  readonly login: string;
  readonly homeUrl: string;
  readonly avatarUrl: string;
}

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

function unavailable(detail: string): RawError {
  return new RawError('PROVIDER_UNAVAILABLE', `GitHub is unreachable or failed: ${detail}`);
}

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null
    ? (source as Record<string, unknown>)[key]
    : undefined;
}

/**
 * GitHub's token and user endpoints over one pooled undici dispatcher (keep-alive, no redirects followed),
 * bounded by PROVIDER_TIMEOUT_MS.
 */
export class GitHubClient {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000 });

  constructor(private readonly timeoutMs: number) {}

  /** The authorization-code grant with PKCE; GitHub answers refusals with HTTP 200 and `error`. */
  async exchangeCode(app: GitHubApp, code: string, codeVerifier: string | null): Promise<Tokens> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUri,
      ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    const issuedAt = Date.now();
    const answer = await this.call(`${app.webUrl}/login/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: form.toString(),
    });
    const error = field(answer.json, 'error');
    if (typeof error === 'string') {
      if (GRANT_REFUSALS.has(error))
        throw new RawError(
          'OAUTH_CODE_OR_STATE_INVALID',
          `The provider rejected the authorization code (GitHub: ${error})`,
        );
      throw unavailable(
        `token endpoint answered ${error} (HTTP ${answer.status}); check the OAuth application settings`,
      );
    }
    const accessToken = field(answer.json, 'access_token');
    if (answer.status !== 200 || typeof accessToken !== 'string' || accessToken === '')
      throw unavailable(`token endpoint answered HTTP ${answer.status}`);
    const at = (seconds: unknown) =>
      typeof seconds === 'number' && seconds > 0 ? new Date(issuedAt + seconds * 1000) : null;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    return {
      accessToken,
      refreshToken: text(field(answer.json, 'refresh_token')),
      expiresAt: at(field(answer.json, 'expires_in')),
      refreshTokenExpiresAt: at(field(answer.json, 'refresh_token_expires_in')),
      scope: text(field(answer.json, 'scope')),
    };
  }

  async profile(app: GitHubApp, accessToken: string): Promise<Profile> {
    const answer = await this.call(`${app.apiUrl}/user`, {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (answer.status === 401 || answer.status === 403) {
      throw new RawError(
        'PROVIDER_UNAVAILABLE',
        `The provider refused the token it has just issued (GitHub: unauthorized (HTTP ${answer.status}))`,
      );
    }
    const login = field(answer.json, 'login');
    if (answer.status !== 200 || typeof answer.json !== 'object' || answer.json === null)
      throw unavailable(`user endpoint answered HTTP ${answer.status}`);
    if (typeof login !== 'string' || login === '')
      throw unavailable('user endpoint answered without a username');
    const text = (key: string) => {
      const value = field(answer.json, key);
      return typeof value === 'string' ? value : '';
    };
    return { login, homeUrl: text('html_url'), avatarUrl: text('avatar_url') };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async call(
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<Answer> {
    try {
      const response = await request(url, {
        method: init.method,
        headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...init.headers },
        body: init.body,
        dispatcher: this.agent,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await response.body.text();
      let json: unknown;
      try {
        json = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, json };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unknown';
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw new RawError('PROVIDER_TIMEOUT', `GitHub did not answer within ${this.timeoutMs} ms`);
      }
      throw unavailable(`connection failed (${code})`);
    }
  }
}
