import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { RepoType, TokenType } from '../domain/repo-type';
import { ProviderHttp } from './http/provider-http';
import { OAuthTokenClient, type TokenRequest } from './oauth-token-client';
import { endpoint, fetchUserJson } from './profile-request';
import type {
  ApiTarget,
  GitCredential,
  ProviderCredential,
  ProviderProfile,
  RepoProviderStrategy,
  RevocationScope,
  TokenSet,
} from './repo-provider.strategy';

/**
 * What the four providers share: the RFC 6749 code and refresh grants at one token endpoint, and `GET /user`.
 * A provider states its token path and client authentication and overrides where it deviates.
 */
@Injectable()
export abstract class BaseProviderStrategy implements RepoProviderStrategy {
  abstract readonly repoType: RepoType;
  abstract readonly supportsPkce: boolean;
  abstract readonly directTokenType: 'personal' | 'password';
  /** Path of the token endpoint under the web URL. */
  protected abstract readonly tokenPath: string;
  protected readonly clientAuth: TokenRequest['clientAuth'] = 'post';

  constructor(
    protected readonly tokens: OAuthTokenClient,
    protected readonly http: ProviderHttp,
  ) {}

  abstract authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL;
  abstract parseProfile(user: unknown): ProviderProfile;
  abstract selfHostedApiUrl(webUrl: string): string;
  abstract gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential;

  exchangeCode(app: OAuthApp, params: { code: string; codeVerifier?: string }): Promise<TokenSet> {
    return this.grant(app, 'authorization_code', {
      code: params.code,
      redirect_uri: app.redirectUri,
      ...(params.codeVerifier ? { code_verifier: params.codeVerifier } : {}),
    });
  }

  refresh(app: OAuthApp, refreshToken: string): Promise<TokenSet> {
    return this.grant(app, 'refresh_token', { refresh_token: refreshToken });
  }

  async fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile> {
    return this.parseProfile(await fetchUserJson(this.http, target, credential));
  }

  /** Most providers have no revocation API; those that do override this. */
  revoke(_app: OAuthApp, _accessToken: string, _scope: RevocationScope): Promise<void> {
    return Promise.resolve();
  }

  protected grant(
    app: OAuthApp,
    grantType: TokenRequest['grantType'],
    parameters: Record<string, string>,
  ): Promise<TokenSet> {
    return this.tokens.request({
      app,
      tokenEndpoint: this.tokenEndpoint(app, grantType, parameters).href,
      grantType,
      parameters,
      clientAuth: this.clientAuth,
    });
  }

  protected tokenEndpoint(
    app: OAuthApp,
    _grantType: string,
    _parameters: Record<string, string>,
  ): URL {
    return endpoint(app.webUrl, this.tokenPath);
  }
}
