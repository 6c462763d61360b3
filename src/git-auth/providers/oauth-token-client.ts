import { Injectable } from '@nestjs/common';
import * as oauth from 'oauth4webapi';
import type { OAuthApp } from '../../config/providers.config';
import { ProviderHttp } from './http/provider-http';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import type { TokenSet } from './repo-provider.strategy';

export interface TokenRequest {
  readonly app: OAuthApp;
  readonly tokenEndpoint: string;
  readonly grantType: 'authorization_code' | 'refresh_token';
  readonly parameters: Record<string, string>;
  /** `post`: client_id + client_secret in the form body; `basic`: HTTP Basic (Bitbucket). */
  readonly clientAuth: 'post' | 'basic';
}

/**
 * RFC 6749 token requests and responses through oauth4webapi (form encoding, client authentication, strict
 * response validation, error bodies), over ProviderHttp (timeouts, User-Agent, no redirects).
 * Strategies add their provider's quirks around it.
 */
@Injectable()
export class OAuthTokenClient {
  constructor(private readonly http: ProviderHttp) {}

  async request(req: TokenRequest): Promise<TokenSet> {
    const as: oauth.AuthorizationServer = {
      issuer: req.app.webUrl,
      token_endpoint: req.tokenEndpoint,
    };
    const started = Date.now();
    const response = await oauth.genericTokenEndpointRequest(
      as,
      { client_id: req.app.clientId },
      clientAuth(req.app, req.clientAuth),
      req.grantType,
      new URLSearchParams(req.parameters),
      this.options(req.tokenEndpoint),
    );
    return parseTokenResponse(req.app, req.tokenEndpoint, response, started);
  }

  /** RFC 7009 token revocation. */
  async revoke(app: OAuthApp, revocationEndpoint: string, token: string): Promise<void> {
    const as: oauth.AuthorizationServer = {
      issuer: app.webUrl,
      revocation_endpoint: revocationEndpoint,
    };
    const response = await oauth.revocationRequest(
      as,
      { client_id: app.clientId },
      clientAuth(app, 'post'),
      token,
      this.options(revocationEndpoint),
    );
    try {
      await oauth.processRevocationResponse(response);
    } catch (error) {
      throw translate(error, response.status);
    }
  }

  private options(url: string): oauth.TokenEndpointRequestOptions {
    return {
      [oauth.customFetch]: (target, init) =>
        this.http.fetch(target, {
          method: init.method,
          headers: init.headers,
          body: init.body.toString(),
        }),
      // Tests and some internal servers use http; which URLs are contacted is the operator's configuration.
      [oauth.allowInsecureRequests]: new URL(url).protocol === 'http:',
    };
  }
}

/**
 * A token endpoint answer as a TokenSet, or the provider's refusal (ProviderRejectedError) or failure
 * (ProviderUnavailableError). No I/O beyond reading the given response.
 */
export async function parseTokenResponse(
  app: Pick<OAuthApp, 'webUrl' | 'clientId'>,
  tokenEndpoint: string,
  response: Response,
  issuedAt: number,
): Promise<TokenSet> {
  const as: oauth.AuthorizationServer = { issuer: app.webUrl, token_endpoint: tokenEndpoint };
  try {
    const body = await oauth.processGenericTokenEndpointResponse(
      as,
      { client_id: app.clientId },
      response,
    );
    return toTokenSet(body, issuedAt);
  } catch (error) {
    throw translate(error, response.status);
  }
}

function clientAuth(app: OAuthApp, kind: TokenRequest['clientAuth']): oauth.ClientAuth {
  return kind === 'basic'
    ? oauth.ClientSecretBasic(app.clientSecret)
    : oauth.ClientSecretPost(app.clientSecret);
}

function toTokenSet(r: oauth.TokenEndpointResponse, issuedAt: number): TokenSet {
  const seconds = (v: unknown) =>
    typeof v === 'number' && v > 0 ? new Date(issuedAt + v * 1000) : undefined;
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    expiresAt: seconds(r.expires_in),
    refreshTokenExpiresAt: seconds(r.refresh_token_expires_in),
    scope: r.scope,
  };
}

/**
 * OAuth error codes that are the user's grant failing: the code is bad, spent or expired, the refresh token is
 * dead, or (GitHub) the account cannot authorize yet. Every other OAuth error — invalid_client,
 * incorrect_client_credentials, unauthorized_client, redirect_uri_mismatch, temporarily_unavailable,
 * invalid_request… — is our configuration or the provider failing, and must neither blame nor expire the user.
 */
const GRANT_REFUSALS = new Set([
  'invalid_grant',
  'bad_verification_code',
  'bad_refresh_token',
  'unverified_user_email',
]);

function oauthError(code: string, status: number): Error {
  return GRANT_REFUSALS.has(code)
    ? new ProviderRejectedError(code)
    : new ProviderUnavailableError(
        `token endpoint answered ${code} (HTTP ${status}); check the OAuth application settings`,
      );
}

/** Token endpoint failures: an OAuth error body says which kind; anything else is an outage. */
function translate(error: unknown, status: number): Error {
  if (error instanceof oauth.ResponseBodyError) return oauthError(error.error, error.status);
  if (error instanceof oauth.WWWAuthenticateChallengeError)
    return oauthError('invalid_client', error.status);
  if (error instanceof oauth.OperationProcessingError) {
    // GitHub answers errors with HTTP 200 and {"error": …}: a body without access_token but with an error.
    const body = (error.cause as { body?: { error?: unknown } } | undefined)?.body;
    if (typeof body?.error === 'string') return oauthError(body.error, status);
    return new ProviderUnavailableError(`token endpoint answered HTTP ${status}`);
  }
  return error instanceof Error ? error : new ProviderUnavailableError('token request failed');
}
