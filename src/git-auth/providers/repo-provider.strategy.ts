import type { OAuthApp } from '../../config/providers.config';
import type { RepoType, TokenType } from '../domain/repo-type';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Absent: the token does not expire (GitHub OAuth App tokens, personal tokens without expiry). */
  readonly expiresAt?: Date;
  readonly refreshTokenExpiresAt?: Date;
  readonly scope?: string;
}

export interface ProviderProfile {
  readonly username: string;
  readonly homeUrl: string;
  readonly avatarUrl: string;
}

export type ProviderCredential =
  | { readonly kind: 'bearer'; readonly token: string }
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
 * Everything that differs between GitHub, GitLab, Gitee and Bitbucket. One class per provider, registered in
 * the ProviderRegistry; the services never branch on the repo type.
 */
export interface RepoProviderStrategy {
  readonly repoType: RepoType;
  /** PKCE (S256) on the authorize and token requests. */
  readonly supportsPkce: boolean;
  /** Which direct (non-OAuth) authorization the provider takes: personal tokens or username + password. */
  readonly directTokenType: Extract<TokenType, 'personal' | 'password'>;

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL;
  /** Never retried: authorization codes are single use. */
  exchangeCode(app: OAuthApp, params: { code: string; codeVerifier?: string }): Promise<TokenSet>;
  refresh(app: OAuthApp, refreshToken: string): Promise<TokenSet>;
  fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile>;
  /** The profile fields of the provider's `GET /user` answer. */
  parseProfile(user: unknown): ProviderProfile;
  /**
   * Revokes upstream where the provider has an API for it (else resolves doing nothing): `token` revokes this
   * access token only; `grant` also withdraws the user's approval of the app, where the provider tells the two
   * apart (GitHub), which ends every token of that user for the app.
   */
  revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void>;
  /** REST API base of a self-hosted server at `webUrl` (GitHub Enterprise, self-managed GitLab…). */
  selfHostedApiUrl(webUrl: string): string;
  /** What `git clone https://username:password@host/…` needs for a token of this type. */
  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential;
}
