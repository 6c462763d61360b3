import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { TokenType } from '../domain/repo-type';
import { ProviderHttp } from './http/provider-http';
import { OAuthTokenClient } from './oauth-token-client';
import { endpoint, fetchUserJson, stringField, toProfile } from './profile-request';
import type {
  ApiTarget,
  GitCredential,
  ProviderCredential,
  ProviderProfile,
  RepoProviderStrategy,
  TokenSet,
} from './repo-provider.strategy';

/**
 * gitlab.com and self-managed GitLab. Tokens live 2 hours; a refresh invalidates the old access and refresh
 * token. Bad codes are 400 invalid_grant, bad client credentials 401 invalid_client.
 */
@Injectable()
export class GitLabStrategy implements RepoProviderStrategy {
  readonly repoType = 'gitlab';
  readonly supportsPkce = true;
  readonly directTokenType = 'personal';

  constructor(
    private readonly tokens: OAuthTokenClient,
    private readonly http: ProviderHttp,
  ) {}

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

  exchangeCode(app: OAuthApp, params: { code: string; codeVerifier?: string }): Promise<TokenSet> {
    return this.tokens.request({
      app,
      tokenEndpoint: endpoint(app.webUrl, '/oauth/token').href,
      grantType: 'authorization_code',
      parameters: {
        code: params.code,
        redirect_uri: app.redirectUri,
        ...(params.codeVerifier ? { code_verifier: params.codeVerifier } : {}),
      },
      clientAuth: 'post',
    });
  }

  refresh(app: OAuthApp, refreshToken: string): Promise<TokenSet> {
    return this.tokens.request({
      app,
      tokenEndpoint: endpoint(app.webUrl, '/oauth/token').href,
      grantType: 'refresh_token',
      parameters: { refresh_token: refreshToken, redirect_uri: app.redirectUri },
      clientAuth: 'post',
    });
  }

  async fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile> {
    return this.parseProfile(await fetchUserJson(this.http, target, credential));
  }

  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'username'),
      stringField(user, 'web_url'),
      stringField(user, 'avatar_url'),
    );
  }

  revoke(app: OAuthApp, accessToken: string): Promise<void> {
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
