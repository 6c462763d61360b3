/**
 * What can go wrong when talking to a git provider. The service decides what each means for the caller:
 * a rejected code is SVCSTG.REPO.0402, a rejected token 0451, an outage 502 and a timeout 504.
 */

/**
 * The provider refused the user's part: a bad or spent code, a dead grant, a revoked token, a wrong password.
 * Never used for our own misconfiguration (a wrong client secret): that must not blame or expire the user.
 */
export class ProviderRejectedError extends Error {
  constructor(
    /** The provider's error code (`invalid_grant`, `bad_refresh_token`, `unauthorized`…), never a secret. */
    readonly reason: string,
  ) {
    super(`provider rejected the request: ${reason}`);
    this.name = 'ProviderRejectedError';
  }
}

/** The provider could not be reached, failed (5xx), refused our client, or answered something unusable. */
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

/** A self-hosted git server that may not be contacted (it resolves to a non-public address). */
export class HostNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostNotAllowedError';
  }
}

/** An answer larger than the caller's bound (a file over REPO_MAX_FILE_BYTES, or not a provider we understand). */
export class ResponseTooLargeError extends ProviderUnavailableError {
  constructor(readonly limitBytes: number) {
    super(`response is larger than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * A provider's answer other than success or 401 to a repository call: what it said, for the service to map to
 * its own codes (SVCSTG.REPO.0455, 0456, 0457…). `reason` is the provider's own short message, never a secret.
 */
export class ProviderAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** Seconds the provider asks us to wait, when it rate-limits (Retry-After or its rate-limit reset). */
    readonly retryAfterSeconds: number | undefined,
    readonly rateLimited: boolean,
  ) {
    super(`provider answered HTTP ${status}${reason ? `: ${reason}` : ''}`);
    this.name = 'ProviderAnswerError';
  }
}
