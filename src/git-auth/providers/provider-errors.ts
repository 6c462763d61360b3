/**
 * What can go wrong when talking to a git provider. The service decides what each means for the caller:
 * a rejected code is SVCSTG.REPO.0402, a rejected token 0451, an outage 502 and a timeout 504.
 */

/** The provider understood the request and said no: bad code, dead grant, revoked token, wrong password. */
export class ProviderRejectedError extends Error {
  constructor(
    /** The provider's error code (`invalid_grant`, `bad_refresh_token`, `unauthorized`…), never a secret. */
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`provider rejected the request: ${reason}`);
    this.name = 'ProviderRejectedError';
  }
}

/** The provider could not be reached, failed (5xx) or answered something we cannot use. */
export class ProviderUnavailableError extends Error {
  constructor(readonly detail: string) {
    super(`provider unavailable: ${detail}`);
    this.name = 'ProviderUnavailableError';
  }
}

export class ProviderTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`provider did not answer within ${timeoutMs} ms`);
    this.name = 'ProviderTimeoutError';
  }
}

/** A self-hosted git server that may not be contacted (not allowed, or resolves to a private address). */
export class HostNotAllowedError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'HostNotAllowedError';
  }
}
