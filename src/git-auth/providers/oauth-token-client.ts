import { Injectable } from '@nestjs/common';
import * as oauth from 'oauth4webapi';
import { ProviderHttp } from './http/provider-http';
import type { ProviderCallKind } from './http/provider-telemetry';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import type { OAuthApp } from './providers.config';
import type { TokenSet } from './repo-provider.strategy';

/** An OAuth error answer of a token endpoint (RFC 6749 §5.2). */
export interface OAuthError {
  readonly error: string;
  readonly description?: string;
}

/** Says whether an OAuth error is the user's grant failing (else it is our client or the provider). */
export type GrantRefusalTest = (error: OAuthError) => boolean;

export interface TokenRequest {
  readonly app: OAuthApp;
  readonly tokenEndpoint: string;
  readonly grantType: 'authorization_code' | 'refresh_token';
  readonly parameters: Record<string, string>;
  /** `post`: client_id + client_secret in the form body; `basic`: HTTP Basic (Bitbucket). */
  readonly clientAuth: 'post' | 'basic';
  readonly isGrantRefusal: GrantRefusalTest;
  /** The call's bound when it is not PROVIDER_TIMEOUT_MS. */
  readonly timeoutMs?: number;
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
      this.options(
        req.tokenEndpoint,
        {
          provider: req.app.repoType,
          operation: req.grantType === 'refresh_token' ? 'refresh' : 'exchange_code',
        },
        req.timeoutMs,
      ),
    );
    return parseTokenResponse(req.app, req.tokenEndpoint, response, started, req.isGrantRefusal);
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
      this.options(revocationEndpoint, { provider: app.repoType, operation: 'revoke' }),
    );
    try {
      await oauth.processRevocationResponse(response);
    } catch (error) {
      // Revocations run in the background: whatever the refusal, nobody's grant is judged by it.
      throw translate(error, response.status, () => false);
    }
  }

  private options(
    url: string,
    call: ProviderCallKind,
    timeoutMs?: number,
  ): oauth.TokenEndpointRequestOptions {
    return {
      [oauth.customFetch]: (target, init) =>
        this.http.fetch(target, {
          call,
          method: init.method,
          headers: init.headers,
          body: init.body.toString(),
          timeoutMs,
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
  isGrantRefusal: GrantRefusalTest,
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
    throw translate(error, response.status, isGrantRefusal);
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

function oauthError(error: OAuthError, status: number, isGrantRefusal: GrantRefusalTest): Error {
  return isGrantRefusal(error)
    ? new ProviderRejectedError(error.error)
    : new ProviderUnavailableError(
        `token endpoint answered ${error.error} (HTTP ${status}); check the OAuth application settings`,
      );
}

/** Token endpoint failures: an OAuth error body says which kind; anything else is an outage. */
function translate(error: unknown, status: number, isGrantRefusal: GrantRefusalTest): Error {
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description;
    return oauthError({ error: error.error, description }, error.status, isGrantRefusal);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError)
    return oauthError({ error: 'invalid_client' }, error.status, isGrantRefusal);
  if (error instanceof oauth.OperationProcessingError) {
    // GitHub answers errors with HTTP 200 and {"error": …}: a body without access_token but with an error.
    const body = (error.cause as { body?: { error?: unknown; error_description?: unknown } })?.body;
    if (typeof body?.error === 'string') {
      const description =
        typeof body.error_description === 'string' ? body.error_description : undefined;
      return oauthError({ error: body.error, description }, status, isGrantRefusal);
    }
    return new ProviderUnavailableError(`token endpoint answered HTTP ${status}`);
  }
  return error instanceof Error ? error : new ProviderUnavailableError('token request failed');
}
