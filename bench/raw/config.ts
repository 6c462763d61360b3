/** One GitHub OAuth application (a site tag selects among several), read like the service reads it. */
export interface GitHubApp {
  readonly tag: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scopes: string;
  readonly webUrl: string;
  readonly apiUrl: string;
}

export interface RawConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly poolMax: number;
  readonly bodyLimitBytes: number;
  readonly tokenKeys: string;
  readonly stateTtlSeconds: number;
  readonly providerTimeoutMs: number;
  readonly credentialMinTtlSeconds: number;
  readonly createPerMinute: number;
  /** By tag ("" is the default application). The raw reference runs OAuth flows for GitHub only. */
  readonly github: ReadonlyMap<string, GitHubApp>;
}

/**
 * The service's variables and defaults for what the raw reference implements. No validation beyond what a
 * benchmark needs: the bench runner is its only user, and it passes both arms the same environment.
 */
export function loadRawConfig(env: NodeJS.ProcessEnv = process.env): RawConfig {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const int = (name: string, fallback: number): number => Number(text(name) ?? fallback);
  const databaseUrl = text('DATABASE_URL');
  const tokenKeys = text('TOKEN_ENCRYPTION_KEYS');
  if (!databaseUrl || !tokenKeys)
    throw new Error('the raw reference needs DATABASE_URL and TOKEN_ENCRYPTION_KEYS');
  return {
    port: int('PORT', 3000),
    host: text('HOST') ?? '0.0.0.0',
    databaseUrl,
    poolMax: int('DB_POOL_MAX', 10),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 64 * 1024),
    tokenKeys,
    stateTtlSeconds: int('OAUTH_STATE_TTL_SECONDS', 600),
    providerTimeoutMs: int('PROVIDER_TIMEOUT_MS', 10_000),
    credentialMinTtlSeconds: int('CREDENTIAL_MIN_TTL_SECONDS', 300),
    createPerMinute: int('RATE_LIMIT_CREATE_PER_MINUTE', 30),
    github: githubApps(env, text),
  };
}

function githubApps(
  env: NodeJS.ProcessEnv,
  text: (name: string) => string | undefined,
): Map<string, GitHubApp> {
  const webUrl = (text('GITHUB_WEB_URL') ?? 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (text('GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, '');
  const tags = Object.keys(env)
    .map((key) => /^GITHUB_([A-Z0-9]+)_CLIENT_ID$/.exec(key)?.[1])
    .filter((tag): tag is string => tag !== undefined);
  const apps = new Map<string, GitHubApp>();
  for (const tag of ['', ...tags]) {
    const prefix = tag ? `GITHUB_${tag}` : 'GITHUB';
    const setting = (name: string) =>
      text(`${prefix}_${name}`) ?? (tag ? text(`GITHUB_${name}`) : undefined);
    const clientId = text(`${prefix}_CLIENT_ID`);
    if (!clientId) continue;
    apps.set(tag.toLowerCase(), {
      tag: tag.toLowerCase(),
      clientId,
      clientSecret: setting('CLIENT_SECRET') ?? '',
      redirectUri: setting('REDIRECT_URI') ?? '',
      scopes: (setting('SCOPES') ?? 'read:user repo write:repo_hook')
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(' '),
      webUrl: tag ? (text(`${prefix}_WEB_URL`)?.replace(/\/+$/, '') ?? webUrl) : webUrl,
      apiUrl: tag ? (text(`${prefix}_API_URL`)?.replace(/\/+$/, '') ?? apiUrl) : apiUrl,
    });
  }
  return apps;
}
