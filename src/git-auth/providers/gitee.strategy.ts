import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy, type GrantRequest } from './base-provider.strategy';
import { endpoint, loginProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import type { ProviderProfile } from './repo-provider.strategy';

/**
 * Gitee wants the token request's parameters in the query string (client_secret stays in the body), refuses
 * requests without a User-Agent, has no PKCE and no revocation API. Tokens live one day.
 */
@Injectable()
export class GiteeStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'gitee',
    displayName: 'Gitee',
    envPrefix: 'GITEE',
    webUrl: 'https://gitee.com',
    apiUrl: 'https://gitee.com/api/v5',
    selfHostedApiPath: '/api/v5',
    scopes: ['user_info', 'projects'],
    pkce: false,
    // OAuth tokens clone as `oauth2`; personal tokens with the account's login.
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'oauth2' },
      personal: { api: 'bearer', gitUsername: ACCOUNT_LOGIN },
    },
  };
  readonly descriptor = GiteeStrategy.descriptor;
  protected readonly tokenPath = '/oauth/token';

  authorizeUrl(app: OAuthApp, params: { state: string }): URL {
    return endpoint(app.webUrl, '/oauth/authorize', {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: app.scopes.join(' '),
      state: params.state,
    });
  }

  /** Every parameter but the secret also goes into the query string, where Gitee documents them. */
  protected override tokenEndpoint({ app, grantType, parameters }: GrantRequest): URL {
    const query = {
      grant_type: grantType,
      ...parameters,
      ...(grantType === 'authorization_code' ? { client_id: app.clientId } : {}),
    };
    return endpoint(app.webUrl, this.tokenPath, query);
  }

  parseProfile(user: unknown): ProviderProfile {
    return loginProfile(user);
  }

  /** Gitee has no revocation API: a deleted authorization's token lives until it expires. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }
}
