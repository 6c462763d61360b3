import type { OAuthApp } from './providers.config';
import type { TokenType } from '../domain/authorization';
import type { ProviderDescriptor } from './provider-descriptor';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Absent: the token does not expire (GitHub OAuth App tokens, personal tokens without expiry). */
  readonly expiresAt?: Date;
  readonly refreshTokenExpiresAt?: Date;
  readonly scope?: string;
}

/** A provider call's own bound, where it differs from PROVIDER_TIMEOUT_MS. */
export interface CallBound {
  readonly timeoutMs?: number;
}

export interface ProviderProfile {
  readonly username: string;
  readonly homeUrl: string;
  readonly avatarUrl: string;
}

/** A secret as a provider's REST API takes it (see CredentialStyle). */
export type ProviderCredential =
  | { readonly kind: 'bearer' | 'token'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

/** Where a provider's REST API is, and whether its host came from a caller (then it is contacted guarded). */
export interface ApiTarget {
  readonly webUrl: string;
  readonly apiUrl: string;
  readonly guarded: boolean;
}

export type RevocationScope = 'token' | 'grant';

export interface GitCredential {
  readonly username: string;
  readonly password: string;
}

/**
 * One git provider: its descriptor (data) and what it does (behaviour). One class per provider, in one file,
 * registered in registered-providers.ts; services never branch on the provider or on the kind of secret.
 *
 * Operations on repositories slot in as one method per operation family, taking an ApiTarget and the
 * ProviderCredential that `apiCredential` builds.
 */
export interface RepoProviderStrategy {
  readonly descriptor: ProviderDescriptor;

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL;
  /** Never retried: authorization codes are single use. */
  exchangeCode(app: OAuthApp, params: { code: string; codeVerifier?: string }): Promise<TokenSet>;
  /** `bound`: a refresh may outlive its caller's wait (REFRESH_TIMEOUT_MS); never retried (rotation). */
  refresh(app: OAuthApp, refreshToken: string, bound?: CallBound): Promise<TokenSet>;
  /** `GET {api}/user`; a refused credential is ProviderRejectedError. */
  fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile>;
  /**
   * Revokes upstream where the provider has an API for it (else resolves doing nothing): `token` revokes this
   * access token only; `grant` also withdraws the user's approval of the app, where the provider tells the two
   * apart (GitHub), which ends every token of that user for the app.
   */
  revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void>;
  /** The secret as the provider's REST API takes it; `login` is the account's (needed for HTTP Basic). */
  apiCredential(tokenType: TokenType, secret: string, login?: string): ProviderCredential;
  /** What `git clone https://username:password@host/…` needs. */
  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential;
}

/** A strategy class as registered: its descriptor is readable without an instance. */
export interface RepoProviderStrategyClass {
  readonly descriptor: ProviderDescriptor;
  new (...args: never[]): RepoProviderStrategy;
}
