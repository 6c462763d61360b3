import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import type { ProviderProfile } from './repo-provider.strategy';

/**
 * Bitbucket Cloud: client credentials in HTTP Basic with a form body (JSON fails), scopes fixed on the
 * consumer, no PKCE, refresh tokens rotate on every use, no revocation API. Direct authorizations are a
 * username with an app password or API token. There is no self-hosted variant behind this API.
 */
@Injectable()
export class BitbucketStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'bitbucket',
    displayName: 'Bitbucket',
    envPrefix: 'BITBUCKET',
    webUrl: 'https://bitbucket.org',
    apiUrl: 'https://api.bitbucket.org/2.0',
    scopes: [],
    pkce: false,
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'x-token-auth' },
      password: { api: 'basic', gitUsername: ACCOUNT_LOGIN },
    },
  };
  readonly descriptor = BitbucketStrategy.descriptor;
  protected readonly tokenPath = '/site/oauth2/access_token';
  protected override readonly clientAuth = 'basic';

  authorizeUrl(app: OAuthApp, params: { state: string }): URL {
    return endpoint(app.webUrl, '/site/oauth2/authorize', {
      client_id: app.clientId,
      response_type: 'code',
      state: params.state,
      redirect_uri: app.redirectUri,
    });
  }

  /** `username` (may be absent for Atlassian accounts: then `nickname`), `links.*.href`. */
  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'username') ?? stringField(user, 'nickname'),
      stringField(user, 'links', 'html', 'href'),
      stringField(user, 'links', 'avatar', 'href'),
    );
  }

  /** Bitbucket has no revocation API for OAuth consumers. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }
}
