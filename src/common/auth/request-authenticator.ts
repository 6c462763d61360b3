import { Inject, Injectable } from '@nestjs/common';
import { authConfig, type AuthConfig } from '../../config/auth.config';
import { AkskAuthenticator } from './aksk/aksk-authenticator';
import { headerValue } from './aksk/sdk-canonical-request';
import type { Authentication, CallerRequest } from './caller';
import type { JwtVerifier } from './jwt/jwt-verifier';

/** Finds the request's credentials (X-Auth-Token or an AK/SK signature) and checks them. */
@Injectable()
export class RequestAuthenticator {
  private readonly jwt?: JwtVerifier;
  private readonly aksk?: AkskAuthenticator;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    if (config.mode === 'iam') {
      // jose (~60 ms of start-up CPU, issue 14) is loaded only where X-Auth-Token is configured.
      if (config.jwt) {
        const { JwtVerifier } =
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          require('./jwt/jwt-verifier') as typeof import('./jwt/jwt-verifier');
        this.jwt = new JwtVerifier(config.jwt);
      }
      this.aksk = config.accessKeys && new AkskAuthenticator(config.accessKeys);
    }
  }

  async authenticate(request: CallerRequest): Promise<Authentication> {
    const token = headerValue(request.headers['x-auth-token']);
    const authorization = headerValue(request.headers['authorization']);
    // Two credentials could name different callers; guessing which one counts is how bypasses start.
    if (token !== undefined && authorization !== undefined) {
      return { ok: false, reason: 'both_x_auth_token_and_authorization' };
    }
    if (token !== undefined) {
      if (this.jwt === undefined) {
        return { ok: false, scheme: 'x-auth-token', reason: 'x_auth_token_not_configured' };
      }
      const result = await this.jwt.verify(token);
      if (!result.ok) return { ok: false, scheme: 'x-auth-token', reason: result.reason };
      const { subject, projectIds } = result;
      return { ok: true, caller: { scheme: 'x-auth-token', subject, projectIds } };
    }
    if (authorization !== undefined) {
      if (this.aksk === undefined) {
        return { ok: false, scheme: 'aksk', reason: 'aksk_not_configured' };
      }
      return this.aksk.authenticate(request);
    }
    return { ok: false, reason: 'no_credentials' };
  }
}
