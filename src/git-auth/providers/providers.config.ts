import { registerAs } from '@nestjs/config';
import { parseServerUrl, serverBase } from '../domain/server-url';
import type { ProviderDescriptor } from './provider-descriptor';
import { PROVIDERS } from './registered-providers';

/** One registered OAuth application of a provider (a site tag selects among several). */
export interface OAuthApp {
  readonly repoType: string;
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

export interface ProviderSettings {
  /** Untagged web and API URLs, used by personal and password authorizations. */
  readonly endpoints: ProviderEndpoints;
  /** OAuth applications by tag. */
  readonly apps: ReadonlyMap<string, OAuthApp>;
}

/** Settings by repo type, for every registered provider. */
export type ProvidersConfig = ReadonlyMap<string, ProviderSettings>;

/** A provider's settings: `<P>_CLIENT_ID` …, and per site tag `<P>_<TAG>_CLIENT_ID` …. */
export const PROVIDER_SETTINGS = [
  'CLIENT_ID',
  'CLIENT_SECRET',
  'REDIRECT_URI',
  'SCOPES',
  'WEB_URL',
  'API_URL',
] as const;
type Setting = (typeof PROVIDER_SETTINGS)[number];

/**
 * Reads `<P>_CLIENT_ID` … `<P>_API_URL` of every provider and their tagged forms `<P>_<TAG>_CLIENT_ID` …; a tag
 * exists when its CLIENT_ID is set, and each of its other settings falls back to the untagged one. The names and
 * defaults come from the providers' descriptors. Every problem is reported with the variable that causes it.
 */
export function loadProvidersConfig(
  env: NodeJS.ProcessEnv = process.env,
  providers: readonly ProviderDescriptor[] = PROVIDERS,
): ProvidersConfig {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const url = (name: string, fallback: string): string => {
    const parsed = parseServerUrl(value(name) ?? fallback);
    if (parsed) return serverBase(parsed);
    problems.push(`${name}: must be an http(s) URL without query, fragment or credentials`);
    return fallback;
  };

  const config = new Map<string, ProviderSettings>();
  for (const provider of providers) {
    const p = provider.envPrefix;
    const endpoints = {
      webUrl: url(`${p}_WEB_URL`, provider.webUrl),
      apiUrl: url(`${p}_API_URL`, provider.apiUrl),
    };
    const apps = new Map<string, OAuthApp>();
    config.set(provider.repoType, { endpoints, apps });

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
      const scopes = setting('SCOPES')?.split(/[\s,]+/) ?? provider.scopes;
      apps.set(tag.toLowerCase(), {
        repoType: provider.repoType,
        tag: tag.toLowerCase(),
        clientId,
        clientSecret: clientSecret ?? '',
        redirectUri: redirectUri ?? '',
        scopes: scopes.filter((s) => s.length > 0),
        webUrl: tag ? url(`${prefix}_WEB_URL`, endpoints.webUrl) : endpoints.webUrl,
        apiUrl: tag ? url(`${prefix}_API_URL`, endpoints.apiUrl) : endpoints.apiUrl,
      });
    }
  }
  if (problems.length > 0)
    throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return config;
}

export const providersConfig = registerAs('providers', () => loadProvidersConfig());
