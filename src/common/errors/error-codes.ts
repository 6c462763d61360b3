import { HttpStatus } from '@nestjs/common';

/** Not in Nest's HttpStatus; Node's parser raises it for oversized headers. */
const REQUEST_HEADER_FIELDS_TOO_LARGE = 431;

/**
 * Every error this service answers with. The documented ServiceStage codes (04xx, 045x) keep their documented
 * meaning; the others are ours, numbered after the HTTP status they travel with.
 */
export const ERRORS = {
  INVALID_PARAMETER: {
    code: 'SVCSTG.REPO.0400',
    status: HttpStatus.BAD_REQUEST,
    message: 'Parameter invalid',
  },
  REPO_TYPE_NOT_SUPPORTED: {
    code: 'SVCSTG.REPO.0401',
    status: HttpStatus.BAD_REQUEST,
    message: 'Repository type not implemented',
  },
  OAUTH_CODE_OR_STATE_INVALID: {
    code: 'SVCSTG.REPO.0402',
    status: HttpStatus.BAD_REQUEST,
    message: 'OAuth code or state invalid',
  },
  ALREADY_EXISTS: {
    code: 'SVCSTG.REPO.0403',
    status: HttpStatus.BAD_REQUEST,
    message: 'Resource already exists',
  },
  AUTHORIZATION_NOT_FOUND: {
    code: 'SVCSTG.REPO.0450',
    status: HttpStatus.NOT_FOUND,
    message: 'No repository authorization with this name',
  },
  AUTHORIZATION_INVALID: {
    code: 'SVCSTG.REPO.0451',
    status: HttpStatus.BAD_REQUEST,
    message: 'Repository authorization invalid; re-authorize',
  },
  CLONE_URL_INVALID: {
    code: 'SVCSTG.REPO.0452',
    status: HttpStatus.BAD_REQUEST,
    message: 'Clone URL invalid',
  },
  PROVIDER_NOT_CONFIGURED: {
    code: 'SVCSTG.REPO.0453',
    status: HttpStatus.BAD_REQUEST,
    message: 'This repository type or site tag is not configured',
  },
  HOST_NOT_ALLOWED: {
    code: 'SVCSTG.REPO.0454',
    status: HttpStatus.BAD_REQUEST,
    message: 'This git host is not allowed',
  },
  PROVIDER_FORBIDDEN: {
    code: 'SVCSTG.REPO.0455',
    status: HttpStatus.FORBIDDEN,
    message: 'The authorization lacks the right or scope for this operation',
  },
  REPO_NOT_FOUND: {
    code: 'SVCSTG.REPO.0456',
    status: HttpStatus.NOT_FOUND,
    message: 'Not found at the git provider (or not visible to this authorization)',
  },
  PROVIDER_RATE_LIMITED: {
    code: 'SVCSTG.REPO.0457',
    status: HttpStatus.TOO_MANY_REQUESTS,
    message: 'The git provider rate-limited this authorization; retry later',
  },
  FILE_TOO_LARGE: {
    code: 'SVCSTG.REPO.0458',
    status: HttpStatus.BAD_REQUEST,
    message: 'The file is larger than REPO_MAX_FILE_BYTES',
  },
  STALE_SHA: {
    code: 'SVCSTG.REPO.0409',
    status: HttpStatus.CONFLICT,
    message: 'The file changed since it was read (stale sha)',
  },
  UNAUTHENTICATED: {
    code: 'SVCSTG.REPO.0410',
    status: HttpStatus.UNAUTHORIZED,
    message: 'Authentication required',
  },
  FORBIDDEN: {
    code: 'SVCSTG.REPO.0411',
    status: HttpStatus.FORBIDDEN,
    message: 'Access to this project is denied',
  },
  ROUTE_NOT_FOUND: {
    code: 'SVCSTG.REPO.0404',
    status: HttpStatus.NOT_FOUND,
    message: 'No such API',
  },
  PAYLOAD_TOO_LARGE: {
    code: 'SVCSTG.REPO.0413',
    status: HttpStatus.PAYLOAD_TOO_LARGE,
    message: 'Request body too large',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    code: 'SVCSTG.REPO.0415',
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    message: 'Request body must be application/json',
  },
  REQUEST_TIMEOUT: {
    code: 'SVCSTG.REPO.0408',
    status: HttpStatus.REQUEST_TIMEOUT,
    message: 'The request was not received in time',
  },
  HEADERS_TOO_LARGE: {
    code: 'SVCSTG.REPO.0431',
    status: REQUEST_HEADER_FIELDS_TOO_LARGE,
    message: 'Request headers too large',
  },
  RATE_LIMITED: {
    code: 'SVCSTG.REPO.0429',
    status: HttpStatus.TOO_MANY_REQUESTS,
    message: 'Too many requests',
  },
  INTERNAL: {
    code: 'SVCSTG.REPO.0500',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    message: 'Internal error',
  },
  PROVIDER_UNAVAILABLE: {
    code: 'SVCSTG.REPO.0502',
    status: HttpStatus.BAD_GATEWAY,
    message: 'The git provider is unreachable or failed',
  },
  UNAVAILABLE: {
    code: 'SVCSTG.REPO.0503',
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'Service unavailable; retry later',
  },
  PROVIDER_TIMEOUT: {
    code: 'SVCSTG.REPO.0504',
    status: HttpStatus.GATEWAY_TIMEOUT,
    message: 'The git provider did not answer in time',
  },
} as const satisfies Record<
  string,
  {
    code: `SVCSTG.REPO.${string}`;
    status: HttpStatus | typeof REQUEST_HEADER_FIELDS_TOO_LARGE;
    message: string;
  }
>;

export type ErrorKey = keyof typeof ERRORS;
