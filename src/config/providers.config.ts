import { registerAs } from '@nestjs/config';
import { REPO_TYPES, type RepoType } from '../git-auth/domain/repo-type';

/** One registered OAuth application of a provider (a site tag selects among several). */
export interface OAuthApp {
  readonly repoType: RepoType;
  /** "" for the default application. */
  readonly tag: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly webUrl: string;
  readonly apiUrl: string;
}

export interface ProviderEndpoints {
  readonly webUrl: string;
  readonly apiUrl: string;
}

export interface ProvidersConfig {
  /** OAuth applications by repo type, then tag. */
  readonly apps: Readonly<Record<RepoType, ReadonlyMap<string, OAuthApp>>>;
  /** Untagged web and API URLs per provider, used by personal and password authorizations. */
  readonly endpoints: Readonly<Record<RepoType, ProviderEndpoints>>;
}

export const PROVIDER_ENV_PREFIX: Readonly<Record<RepoType, string>> = {
  github: 'GITHUB',
  gitlab: 'GITLAB',
  gitee: 'GITEE',
  bitbucket: 'BITBUCKET',
};

const DEFAULTS: Readonly<Record<RepoType, ProviderEndpoints & { scopes: string }>> = {
  // ServiceStage's own documented GitHub request asks for these.
  github: {
    webUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    scopes: 'read:user repo write:repo_hook',
  },
  gitlab: {
    webUrl: 'https://gitlab.com',
    apiUrl: 'https://gitlab.com/api/v4',
    scopes: 'read_user read_repository',
  },
  gitee: {
    webUrl: 'https://gitee.com',
    apiUrl: 'https://gitee.com/api/v5',
    scopes: 'user_info projects',
  },
  // Bitbucket scopes are fixed on the OAuth consumer; none are sent.
  bitbucket: {
    webUrl: 'https://bitbucket.org',
    apiUrl: 'https://api.bitbucket.org/2.0',
    scopes: '',
  },
};

type Setting = 'CLIENT_ID' | 'CLIENT_SECRET' | 'REDIRECT_URI' | 'SCOPES' | 'WEB_URL' | 'API_URL';

/**
 * Reads `<P>_CLIENT_ID` … `<P>_API_URL` and their tagged forms `<P>_<TAG>_CLIENT_ID` …; a tag exists when its
 * CLIENT_ID is set, and each of its other settings falls back to the untagged one. Every problem is reported
 * with the variable that causes it.
 */
export function loadProvidersConfig(env: NodeJS.ProcessEnv = process.env): ProvidersConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const url = (name: string, fallback: string): string => {
    const raw = value(name) ?? fallback;
    const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
    if (
      !parsed ||
      !['http:', 'https:'].includes(parsed.protocol) ||
      parsed.search ||
      parsed.hash ||
      parsed.username
    ) {
      problems.push(`${name}: must be an http(s) URL without query, fragment or credentials`);
      return fallback;
    }
    return raw.replace(/\/+$/, '');
  };

  const apps = {} as Record<RepoType, Map<string, OAuthApp>>;
  const endpoints = {} as Record<RepoType, ProviderEndpoints>;
  for (const repoType of REPO_TYPES) {
    const p = PROVIDER_ENV_PREFIX[repoType];
    const defaults = DEFAULTS[repoType];
    const base = {
      webUrl: url(`${p}_WEB_URL`, defaults.webUrl),
      apiUrl: url(`${p}_API_URL`, defaults.apiUrl),
    };
    endpoints[repoType] = base;
    apps[repoType] = new Map();

    const tags = Object.keys(env)
      .map((key) => new RegExp(`^${p}_([A-Z0-9]+)_CLIENT_ID$`).exec(key)?.[1])
      .filter((tag): tag is string => tag !== undefined);
    for (const tag of ['', ...tags]) {
      const prefix = tag ? `${p}_${tag}` : p;
      const setting = (name: Setting): string | undefined =>
        value(`${prefix}_${name}`) ?? (tag ? value(`${p}_${name}`) : undefined);
      const clientId = value(`${prefix}_CLIENT_ID`);
      if (!clientId) continue;
      const clientSecret = setting('CLIENT_SECRET');
      const redirectUri = setting('REDIRECT_URI');
      const either = (name: string) =>
        tag ? `${prefix}_${name} (or ${p}_${name})` : `${p}_${name}`;
      if (!clientSecret)
        problems.push(`${either('CLIENT_SECRET')}: required when ${prefix}_CLIENT_ID is set`);
      if (
        !redirectUri ||
        !URL.canParse(redirectUri) ||
        !/^https?:$/.test(new URL(redirectUri).protocol)
      ) {
        problems.push(
          `${either('REDIRECT_URI')}: an absolute http(s) URL is required when ${prefix}_CLIENT_ID is set`,
        );
      }
      const scopes = (setting('SCOPES') ?? defaults.scopes)
        .split(/[\s,]+/)
        .filter((s) => s.length > 0);
      apps[repoType].set(tag.toLowerCase(), {
        repoType,
        tag: tag.toLowerCase(),
        clientId,
        clientSecret: clientSecret ?? '',
        redirectUri: redirectUri ?? '',
        scopes,
        webUrl: tag ? url(`${prefix}_WEB_URL`, base.webUrl) : base.webUrl,
        apiUrl: tag ? url(`${prefix}_API_URL`, base.apiUrl) : base.apiUrl,
      });
    }
  }
  if (problems.length > 0)
    throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { apps, endpoints };
}

export const providersConfig = registerAs('providers', () => loadProvidersConfig());
