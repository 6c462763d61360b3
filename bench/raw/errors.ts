/**
 * The SVCSTG.REPO answers the raw reference can give: code, status and default message as the service's error
 * table has them (src/common/errors/error-codes.ts imports @nestjs/common, so it cannot be shared). The bench
 * checks both arms' answers byte for byte before measuring, which keeps the two tables in step.
 */
const ERRORS = {
  INVALID_PARAMETER: ['0400', 400, 'Parameter invalid'],
  REPO_TYPE_NOT_SUPPORTED: ['0401', 400, 'Repository type not implemented'],
  OAUTH_CODE_OR_STATE_INVALID: ['0402', 400, 'OAuth code or state invalid'],
  ALREADY_EXISTS: ['0403', 400, 'Resource already exists'],
  AUTHORIZATION_NOT_FOUND: ['0450', 404, 'No repository authorization with this name'],
  AUTHORIZATION_INVALID: ['0451', 400, 'Repository authorization invalid; re-authorize'],
  PROVIDER_NOT_CONFIGURED: ['0453', 400, 'This repository type or site tag is not configured'],
  ROUTE_NOT_FOUND: ['0404', 404, 'No such API'],
  PAYLOAD_TOO_LARGE: ['0413', 413, 'Request body too large'],
  UNSUPPORTED_MEDIA_TYPE: ['0415', 415, 'Request body must be application/json'],
  RATE_LIMITED: ['0429', 429, 'Too many requests'],
  INTERNAL: ['0500', 500, 'Internal error'],
  PROVIDER_UNAVAILABLE: ['0502', 502, 'The git provider is unreachable or failed'],
  DATABASE_UNAVAILABLE: ['0503', 503, 'Database unavailable'],
  PROVIDER_TIMEOUT: ['0504', 504, 'The git provider did not answer in time'],
} as const satisfies Record<string, readonly [string, number, string]>;

export type RawErrorKey = keyof typeof ERRORS;

export class RawError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(
    key: RawErrorKey,
    message?: string,
    readonly headers: Readonly<Record<string, string | number>> = {},
  ) {
    const [code, status, fallback] = ERRORS[key];
    super(message ?? fallback);
    this.code = `SVCSTG.REPO.${code}`;
    this.status = status;
  }
}
