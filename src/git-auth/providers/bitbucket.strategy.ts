import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { TokenType } from '../domain/repo-type';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import type { GitCredential, ProviderProfile } from './repo-provider.strategy';

/**
 * Bitbucket Cloud: client credentials in HTTP Basic with a form body (JSON fails), scopes fixed on the
 * consumer, no PKCE, refresh tokens rotate on every use, no revocation API. Direct authorizations are a
 * username with an app password or API token.
 */
@Injectable()
export class BitbucketStrategy extends BaseProviderStrategy {
  readonly repoType = 'bitbucket';
  readonly supportsPkce = false;
  readonly directTokenType = 'password';
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

  /** Bitbucket Cloud only; there is no self-hosted variant behind this API. */
  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/2.0`;
  }

  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential {
    return { username: tokenType === 'oauth' ? 'x-token-auth' : login, password: secret };
  }
}
