import { Injectable } from '@nestjs/common';
import type { OAuthApp } from '../../config/providers.config';
import type { TokenType } from '../domain/repo-type';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import type { GitCredential, ProviderProfile } from './repo-provider.strategy';

/**
 * Gitee wants the token request's parameters in the query string (client_secret stays in the body), refuses
 * requests without a User-Agent, has no PKCE and no revocation API. Tokens live one day.
 */
@Injectable()
export class GiteeStrategy extends BaseProviderStrategy {
  readonly repoType = 'gitee';
  readonly supportsPkce = false;
  readonly directTokenType = 'personal';
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
  protected override tokenEndpoint(
    app: OAuthApp,
    grantType: string,
    parameters: Record<string, string>,
  ): URL {
    const query = {
      grant_type: grantType,
      ...parameters,
      ...(grantType === 'authorization_code' ? { client_id: app.clientId } : {}),
    };
    return endpoint(app.webUrl, this.tokenPath, query);
  }

  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'login'),
      stringField(user, 'html_url'),
      stringField(user, 'avatar_url'),
    );
  }

  selfHostedApiUrl(webUrl: string): string {
    return `${webUrl}/api/v5`;
  }

  /** OAuth tokens clone as `oauth2`; personal tokens with the account's login. */
  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential {
    return { username: tokenType === 'oauth' ? 'oauth2' : login, password: secret };
  }
}
