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
 * Bitbucket Cloud: client credentials in HTTP Basic with a form body (JSON fails), scopes fixed on the
 * consumer, no PKCE, refresh tokens rotate on every use, no revocation API. Direct authorizations are a
 * username with an app password or API token.
 */
@Injectable()
export class BitbucketStrategy implements RepoProviderStrategy {
  readonly repoType = 'bitbucket';
  readonly supportsPkce = false;
  readonly directTokenType = 'password';

  constructor(
    private readonly tokens: OAuthTokenClient,
    private readonly http: ProviderHttp,
  ) {}

  authorizeUrl(app: OAuthApp, params: { state: string }): URL {
    return endpoint(app.webUrl, '/site/oauth2/authorize', {
      client_id: app.clientId,
      response_type: 'code',
      state: params.state,
      redirect_uri: app.redirectUri,
    });
  }

  exchangeCode(app: OAuthApp, params: { code: string }): Promise<TokenSet> {
    return this.tokens.request({
      app,
      tokenEndpoint: endpoint(app.webUrl, '/site/oauth2/access_token').href,
      grantType: 'authorization_code',
      parameters: { code: params.code, redirect_uri: app.redirectUri },
      clientAuth: 'basic',
    });
  }

  refresh(app: OAuthApp, refreshToken: string): Promise<TokenSet> {
    return this.tokens.request({
      app,
      tokenEndpoint: endpoint(app.webUrl, '/site/oauth2/access_token').href,
      grantType: 'refresh_token',
      parameters: { refresh_token: refreshToken },
      clientAuth: 'basic',
    });
  }

  async fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile> {
    return this.parseProfile(await fetchUserJson(this.http, target, credential));
  }

  /** `username` (may be absent for Atlassian accounts: then `nickname`), `links.*.href`. */
  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'username') ?? stringField(user, 'nickname'),
      stringField(user, 'links', 'html', 'href'),
      stringField(user, 'links', 'avatar', 'href'),
    );
  }

  /** Bitbucket has no revocation endpoint. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }

  /** Bitbucket Cloud only; there is no self-hosted variant behind this API. */
  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/2.0`;
  }

  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential {
    return { username: tokenType === 'oauth' ? 'x-token-auth' : login, password: secret };
  }
}
