import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { TokenType } from '../domain/repo-type';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import type { GitCredential, ProviderProfile } from './repo-provider.strategy';

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

  /** Deletes the whole grant (every token of this user for the app), as unlinking should. */
  override async revoke(app: OAuthApp, accessToken: string): Promise<void> {
    const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
    const url = endpoint(app.apiUrl, `/applications/${encodeURIComponent(app.clientId)}/grant`);
    const response = await this.http.request(url.href, {
      method: 'DELETE',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/json',
        accept: 'application/vnd.github+json',
      },
      body: JSON.stringify({ access_token: accessToken }),
    });
    // 404: the grant is already gone.
    if (response.status === 204 || response.status === 404) return;
    if (response.status === 401 || response.status === 422) {
      throw new ProviderRejectedError('revoke_refused', response.status);
    }
    throw new ProviderUnavailableError(`revoke answered HTTP ${response.status}`);
  }

  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/api/v3`;
  }

  gitCredential(_tokenType: TokenType, secret: string): GitCredential {
    return { username: 'x-access-token', password: secret };
  }
}
