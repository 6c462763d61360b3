import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import type { OAuthError } from './oauth-token-client';
import { loginProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import type { ProviderProfile } from './repo-provider.strategy';

/**
 * Gitea's token endpoint answers `unauthorized_client` for a dead grant and for our own misconfiguration
 * alike; these descriptions are the dead grants (an unknown or spent code, a code issued for another PKCE
 * verifier, a refresh token used before or expired). Anything else under that code — "invalid client secret",
 * "unexpected redirect URI" — is our configuration and must not blame the user.
 */
const DEAD_GRANT_DESCRIPTIONS = new Set([
  'client is not authorized',
  'failed PKCE code challenge',
  'token was already used',
  'unable to parse refresh token',
]);

/**
 * Gitea and Forgejo (gitea.com, codeberg.org, self-hosted): OAuth2 with PKCE S256 at /login/oauth, access tokens
 * that live an hour, refresh tokens that die when used (rotation), the REST API under /api/v1. Personal tokens
 * go as `Authorization: token …`. Git takes any token as the password; the user name is not checked. Gitea has no
 * API to revoke a token of an OAuth application: a deleted authorization's token lives until it expires.
 */
@Injectable()
export class GiteaStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'gitea',
    displayName: 'Gitea',
    envPrefix: 'GITEA',
    webUrl: 'https://gitea.com',
    apiUrl: 'https://gitea.com/api/v1',
    selfHostedApiPath: '/api/v1',
    // Without scopes Gitea grants everything; these cover the profile, organizations and repositories.
    scopes: ['read:user', 'read:organization', 'write:repository'],
    pkce: true,
    secrets: {
      oauth: { api: 'bearer', gitUsername: ACCOUNT_LOGIN },
      personal: { api: 'token', gitUsername: ACCOUNT_LOGIN },
    },
  };
  readonly descriptor = GiteaStrategy.descriptor;
  protected readonly tokenPath = '/login/oauth/access_token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return this.codeAuthorizeUrl(app, '/login/oauth/authorize', params);
  }

  parseProfile(user: unknown): ProviderProfile {
    return loginProfile(user);
  }

  /** Gitea has no revocation API for OAuth applications. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }

  protected override isGrantRefusal(error: OAuthError): boolean {
    return (
      super.isGrantRefusal(error) ||
      (error.error === 'unauthorized_client' &&
        DEAD_GRANT_DESCRIPTIONS.has(error.description ?? ''))
    );
  }
}
