import type { TokenType } from '../domain/authorization';

/** How a provider's REST API takes a secret: `Authorization: Bearer …`, `Authorization: token …`, or HTTP Basic. */
type CredentialStyle = 'bearer' | 'token' | 'basic';

/** As a git user name: the account's own login (the profile's, or the user a password was given with). */
export const ACCOUNT_LOGIN = Symbol('the account login');

/** What the provider does with one kind of secret. */
export interface SecretUse {
  /** How its REST API takes the secret (`basic`: the account login and the secret). */
  readonly api: CredentialStyle;
  /** The user name of `git clone https://<user>:<secret>@host/…`. */
  readonly gitUsername: string | typeof ACCOUNT_LOGIN;
}

/**
 * Everything about a provider that is data rather than behaviour, stated once in its strategy file and read from
 * there by configuration (env names, defaults, site tags), Swagger, error messages and the test fixtures — at
 * import time, before dependency injection exists.
 */
export interface ProviderDescriptor {
  /** The `repo_type` of paths, bodies and rows: lower-case letters and digits. */
  readonly repoType: string;
  /** How messages name the provider. */
  readonly displayName: string;
  /** `<P>` of its variables (`<P>_CLIENT_ID` …): upper-case letters and digits, no `_` (tags follow it). */
  readonly envPrefix: string;
  /** Defaults of `<P>_WEB_URL` and `<P>_API_URL`. */
  readonly webUrl: string;
  readonly apiUrl: string;
  /** Where the REST API is under a self-hosted server's URL; absent when the provider has no self-hosted servers. */
  readonly selfHostedApiPath?: string;
  /** Default of `<P>_SCOPES`; empty when the provider fixes scopes on the OAuth application. */
  readonly scopes: readonly string[];
  /** PKCE (S256) on the authorize and token requests. */
  readonly pkce: boolean;
  /** The kinds of authorization it takes: OAuth always, personal tokens and passwords where it can check them. */
  readonly secrets: { readonly oauth: SecretUse } & Partial<Record<DirectTokenType, SecretUse>>;
}

/** Authorizations made without OAuth, from a secret the caller hands over. */
export type DirectTokenType = Exclude<TokenType, 'oauth'>;

export function accepts(descriptor: ProviderDescriptor, tokenType: TokenType): boolean {
  return descriptor.secrets[tokenType] !== undefined;
}

/** The REST API of a self-hosted server at `webUrl`, or undefined when the provider has none. */
export function selfHostedApiUrl(
  descriptor: ProviderDescriptor,
  webUrl: string,
): string | undefined {
  return descriptor.selfHostedApiPath === undefined
    ? undefined
    : `${webUrl.replace(/\/+$/, '')}${descriptor.selfHostedApiPath}`;
}

const REPO_TYPE = /^[a-z][a-z0-9]{0,31}$/;
const ENV_PREFIX = /^[A-Z][A-Z0-9]*$/;

/**
 * Refuses a list of providers that cannot work together: a malformed repo type or prefix, or two providers
 * sharing one (their rows or variables would be mistaken for each other's).
 */
export function assertDistinct(descriptors: readonly ProviderDescriptor[]): void {
  const seen = { repoType: new Set<string>(), envPrefix: new Set<string>() };
  for (const d of descriptors) {
    if (!REPO_TYPE.test(d.repoType))
      throw new Error(`Provider repo type "${d.repoType}" must match ${REPO_TYPE.source}`);
    if (!ENV_PREFIX.test(d.envPrefix))
      throw new Error(
        `Provider ${d.repoType}: env prefix "${d.envPrefix}" must match ${ENV_PREFIX.source}`,
      );
    for (const key of ['repoType', 'envPrefix'] as const) {
      if (seen[key].has(d[key]))
        throw new Error(`Two providers registered with ${key} "${d[key]}"`);
      seen[key].add(d[key]);
    }
  }
}
