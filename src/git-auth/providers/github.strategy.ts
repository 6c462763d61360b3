import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import type { OAuthError } from './oauth-token-client';
import { authorizationHeader, endpoint, loginProfile } from './profile-request';
import type { ProviderDescriptor } from './provider-descriptor';
import { ProviderUnavailableError } from './provider-errors';
import type { OAuthApp } from './providers.config';
import type { ProviderProfile, RevocationScope } from './repo-provider.strategy';

/** GitHub's own codes for a dead grant, next to RFC 6749's invalid_grant (it answers them with HTTP 200). */
const GRANT_REFUSALS = new Set([
  'bad_verification_code',
  'bad_refresh_token',
  'unverified_user_email',
]);

/**
 * GitHub and GitHub Enterprise Server. Token errors come back as HTTP 200 with `error` (handled by the token
 * client); OAuth App tokens never expire, GitHub App user tokens expire after 8 h and refresh with rotation.
 */
@Injectable()
export class GitHubStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'github',
    displayName: 'GitHub',
    envPrefix: 'GITHUB',
    webUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    selfHostedApiPath: '/api/v3',
    // ServiceStage's own documented GitHub request asks for these.
    scopes: ['read:user', 'repo', 'write:repo_hook'],
    pkce: true,
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'x-access-token' },
      personal: { api: 'bearer', gitUsername: 'x-access-token' },
    },
  };
  readonly descriptor = GitHubStrategy.descriptor;
  protected readonly tokenPath = '/login/oauth/access_token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return endpoint(app.webUrl, '/login/oauth/authorize', {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      scope: app.scopes.join(' '),
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: params.codeChallenge ? 'S256' : undefined,
    });
  }

  parseProfile(user: unknown): ProviderProfile {
    return loginProfile(user);
  }

  /**
   * `DELETE /applications/{client_id}/grant` withdraws the app from the user's account (every token of that
   * user for the app); `…/token` revokes only this token. Both take the token in the body and the app's
   * credentials as HTTP Basic; 404 means it is already gone.
   */
  async revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void> {
    const url = endpoint(app.apiUrl, `/applications/${encodeURIComponent(app.clientId)}/${scope}`);
    const response = await this.http.request(url.href, {
      call: { provider: this.descriptor.repoType, operation: 'revoke' },
      method: 'DELETE',
      headers: {
        authorization: authorizationHeader({
          kind: 'basic',
          username: app.clientId,
          password: app.clientSecret,
        }),
        'content-type': 'application/json',
        accept: 'application/vnd.github+json',
      },
      body: JSON.stringify({ access_token: accessToken }),
    });
    if (response.status !== 204 && response.status !== 404) {
      throw new ProviderUnavailableError(`revoke answered HTTP ${response.status}`);
    }
  }

  protected override isGrantRefusal(error: OAuthError): boolean {
    return super.isGrantRefusal(error) || GRANT_REFUSALS.has(error.error);
  }
}
