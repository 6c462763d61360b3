import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { TokenType } from '../domain/repo-type';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import type { GitCredential, ProviderProfile, TokenSet } from './repo-provider.strategy';

/**
 * gitlab.com and self-managed GitLab. Tokens live 2 hours; a refresh invalidates the old access and refresh
 * token. Bad codes are 400 invalid_grant, bad client credentials 401 invalid_client.
 */
@Injectable()
export class GitLabStrategy extends BaseProviderStrategy {
  readonly repoType = 'gitlab';
  readonly supportsPkce = true;
  readonly directTokenType = 'personal';
  protected readonly tokenPath = '/oauth/token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return endpoint(app.webUrl, '/oauth/authorize', {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      state: params.state,
      scope: app.scopes.join(' '),
      code_challenge: params.codeChallenge,
      code_challenge_method: params.codeChallenge ? 'S256' : undefined,
    });
  }

  /** GitLab wants the redirect URI on refresh too. */
  override refresh(app: OAuthApp, refreshToken: string): Promise<TokenSet> {
    return this.grant(app, 'refresh_token', {
      refresh_token: refreshToken,
      redirect_uri: app.redirectUri,
    });
  }

  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'username'),
      stringField(user, 'web_url'),
      stringField(user, 'avatar_url'),
    );
  }

  /** RFC 7009: GitLab revokes the token (and its refresh token); there is no separate grant to withdraw. */
  override revoke(app: OAuthApp, accessToken: string): Promise<void> {
    return this.tokens.revoke(app, endpoint(app.webUrl, '/oauth/revoke').href, accessToken);
  }

  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/api/v4`;
  }

  /** `oauth2` works for OAuth and personal access tokens alike. */
  gitCredential(_tokenType: TokenType, secret: string): GitCredential {
    return { username: 'oauth2', password: secret };
  }
}
