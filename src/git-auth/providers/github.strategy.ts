import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { TokenType } from '../domain/repo-type';
import { BaseProviderStrategy } from './base-provider.strategy';
import { authorizationHeader, endpoint, stringField, toProfile } from './profile-request';
import { ProviderUnavailableError } from './provider-errors';
import type { GitCredential, ProviderProfile, RevocationScope } from './repo-provider.strategy';

/**
 * GitHub and GitHub Enterprise Server. Token errors come back as HTTP 200 with `error` (handled by the token
 * client); OAuth App tokens never expire, GitHub App user tokens expire after 8 h and refresh with rotation.
 */
@Injectable()
export class GitHubStrategy extends BaseProviderStrategy {
  readonly repoType = 'github';
  readonly supportsPkce = true;
  readonly directTokenType = 'personal';
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
    return toProfile(
      stringField(user, 'login'),
      stringField(user, 'html_url'),
      stringField(user, 'avatar_url'),
    );
  }

  /**
   * `DELETE /applications/{client_id}/grant` withdraws the app from the user's account (every token of that
   * user for the app); `…/token` revokes only this token. Both take the token in the body and the app's
   * credentials as HTTP Basic; 404 means it is already gone.
   */
  override async revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void> {
    const url = endpoint(app.apiUrl, `/applications/${encodeURIComponent(app.clientId)}/${scope}`);
    const response = await this.http.request(url.href, {
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

  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/api/v3`;
  }

  gitCredential(_tokenType: TokenType, secret: string): GitCredential {
    return { username: 'x-access-token', password: secret };
  }
}
