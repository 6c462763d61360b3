import type { ProviderHttp } from './http/provider-http';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import type { ApiTarget, ProviderCredential, ProviderProfile } from './repo-provider.strategy';

type HeaderCredential = Exclude<ProviderCredential, { kind: 'query' }>;

export function authorizationHeader(credential: HeaderCredential): string {
  switch (credential.kind) {
    case 'bearer':
      return `Bearer ${credential.token}`;
    case 'token':
      return `token ${credential.token}`;
    case 'basic':
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  }
}

/**
 * Puts the credential where the provider's API takes it: the Authorization header, or (Gitee) the
 * `access_token` query parameter of `url`. Returns the headers to send.
 */
export function authorize(url: URL, credential: ProviderCredential): Record<string, string> {
  if (credential.kind === 'query') {
    url.searchParams.set('access_token', credential.token);
    return {};
  }
  return { authorization: authorizationHeader(credential) };
}

/**
 * An exhausted rate limit is a pause, not a verdict on the credential: 429, or a 403 saying so (GitHub's
 * `x-ratelimit-remaining: 0` or a `retry-after`).
 */
export function isRateLimited(
  status: number,
  headers: { get(name: string): string | null },
): boolean {
  return (
    status === 429 ||
    (status === 403 &&
      (headers.get('x-ratelimit-remaining') === '0' || headers.get('retry-after') !== null))
  );
}

/**
 * GET `{api}/user` of the provider with repo type `provider`: 401/403 mean the credential is refused (revoked, expired, wrong password); anything else
 * that is not a JSON object with a username is the provider failing.
 */
export async function fetchUserJson(
  http: ProviderHttp,
  provider: string,
  target: ApiTarget,
  credential: ProviderCredential,
): Promise<unknown> {
  const url = endpoint(target.apiUrl, '/user');
  const headers = authorize(url, credential);
  const response = await http.request(url.href, {
    call: { provider, operation: 'profile' },
    headers,
    guarded: target.guarded,
  });
  if (isRateLimited(response.status, response.headers))
    throw new ProviderUnavailableError('rate limited');
  if (response.status === 401 || response.status === 403) {
    throw new ProviderRejectedError(`unauthorized (HTTP ${response.status})`);
  }
  if (response.status !== 200 || typeof response.json !== 'object' || response.json === null) {
    throw new ProviderUnavailableError(`user endpoint answered HTTP ${response.status}`);
  }
  return response.json;
}

export function stringField(source: unknown, ...path: string[]): string | undefined {
  let value: unknown = source;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' ? value : undefined;
}

/** The common shape of `GET /user`: `login`, `html_url`, `avatar_url` (GitHub and those modelled on it). */
export function loginProfile(user: unknown): ProviderProfile {
  return toProfile(
    stringField(user, 'login'),
    stringField(user, 'html_url'),
    stringField(user, 'avatar_url'),
  );
}

export function toProfile(
  username: string | undefined,
  homeUrl?: string,
  avatarUrl?: string,
): ProviderProfile {
  if (!username) throw new ProviderUnavailableError('user endpoint answered without a username');
  return { username, homeUrl: homeUrl ?? '', avatarUrl: avatarUrl ?? '' };
}

/** `base` + path + query, keeping a path prefix of base (self-hosted servers under /gitlab, say). */
export function endpoint(
  base: string,
  path: string,
  query: Record<string, string | undefined> = {},
): URL {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') url.searchParams.set(key, value);
  return url;
}
