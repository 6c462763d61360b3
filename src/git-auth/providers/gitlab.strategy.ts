import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import type { ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import type { CallBound, ProviderProfile, TokenSet } from './repo-provider.strategy';

/**
 * gitlab.com and self-managed GitLab. Tokens live 2 hours; a refresh invalidates the old access and refresh
 * token. Bad codes are 400 invalid_grant, bad client credentials 401 invalid_client.
 */
@Injectable()
export class GitLabStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'gitlab',
    displayName: 'GitLab',
    envPrefix: 'GITLAB',
    webUrl: 'https://gitlab.com',
    apiUrl: 'https://gitlab.com/api/v4',
    selfHostedApiPath: '/api/v4',
    scopes: ['read_user', 'read_repository'],
    pkce: true,
    // `oauth2` clones with OAuth and personal access tokens alike.
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'oauth2' },
      personal: { api: 'bearer', gitUsername: 'oauth2' },
    },
  };
  readonly descriptor = GitLabStrategy.descriptor;
  protected readonly tokenPath = '/oauth/token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return this.codeAuthorizeUrl(app, '/oauth/authorize', params);
  }

  /** GitLab wants the redirect URI on refresh too. */
  override refresh(app: OAuthApp, refreshToken: string, bound: CallBound = {}): Promise<TokenSet> {
    return this.grant({
      app,
      grantType: 'refresh_token',
      parameters: { refresh_token: refreshToken, redirect_uri: app.redirectUri },
      timeoutMs: bound.timeoutMs,
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
  revoke(app: OAuthApp, accessToken: string): Promise<void> {
    return this.tokens.revoke(app, endpoint(app.webUrl, '/oauth/revoke').href, accessToken);
  }
}
