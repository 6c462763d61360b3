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
 * Gitee wants the token request's parameters in the query string (client_secret stays in the body), refuses
 * requests without a User-Agent, has no PKCE and no revocation API. Tokens live one day.
 */
@Injectable()
export class GiteeStrategy implements RepoProviderStrategy {
  readonly repoType = 'gitee';
  readonly supportsPkce = false;
  readonly directTokenType = 'personal';

  constructor(
    private readonly tokens: OAuthTokenClient,
    private readonly http: ProviderHttp,
  ) {}

  authorizeUrl(app: OAuthApp, params: { state: string }): URL {
    return endpoint(app.webUrl, '/oauth/authorize', {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: app.scopes.join(' '),
      state: params.state,
    });
  }

  exchangeCode(app: OAuthApp, params: { code: string }): Promise<TokenSet> {
    const query = {
      grant_type: 'authorization_code',
      code: params.code,
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
    };
    return this.tokens.request({
      app,
      tokenEndpoint: endpoint(app.webUrl, '/oauth/token', query).href,
      grantType: 'authorization_code',
      parameters: { code: params.code, redirect_uri: app.redirectUri },
      clientAuth: 'post',
    });
  }

  refresh(app: OAuthApp, refreshToken: string): Promise<TokenSet> {
    return this.tokens.request({
      app,
      tokenEndpoint: endpoint(app.webUrl, '/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }).href,
      grantType: 'refresh_token',
      parameters: { refresh_token: refreshToken },
      clientAuth: 'post',
    });
  }

  async fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile> {
    return this.parseProfile(await fetchUserJson(this.http, target, credential));
  }

  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'login'),
      stringField(user, 'html_url'),
      stringField(user, 'avatar_url'),
    );
  }

  /** Gitee documents no revocation endpoint. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }

  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/api/v5`;
  }

  /** OAuth tokens clone as `oauth2`; personal tokens with the account's login. */
  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential {
    return { username: tokenType === 'oauth' ? 'oauth2' : login, password: secret };
  }
}
