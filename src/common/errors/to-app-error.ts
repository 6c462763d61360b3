import { HttpException, HttpStatus } from '@nestjs/common';
import { isDatabaseUnavailableError } from '../../database/database-errors';
import { AppError } from './app-error';
import type { ErrorKey } from './error-codes';

/** Fastify's own request errors (raised before any Nest code runs) carry a code and a status. */
interface FastifyRequestError {
  code: string;
  statusCode: number;
}

function isFastifyError(error: unknown): error is FastifyRequestError {
  return (
    error instanceof Error &&
    typeof (error as Partial<FastifyRequestError>).code === 'string' &&
    (error as Partial<FastifyRequestError>).code!.startsWith('FST_') &&
    typeof (error as Partial<FastifyRequestError>).statusCode === 'number'
  );
}

const BY_FASTIFY_CODE: Readonly<Record<string, [ErrorKey, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'Request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'UNSUPPORTED_MEDIA_TYPE',
    'Request body must be application/json',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    'INVALID_PARAMETER',
    'Content-Length does not match the body',
  ],
};

const BY_HTTP_STATUS: Readonly<Partial<Record<number, ErrorKey>>> = {
  [HttpStatus.BAD_REQUEST]: 'INVALID_PARAMETER',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'UNSUPPORTED_MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/**
 * Classifies any thrown value. Returns `undefined` for what is not the caller's doing and not a known
 * outage: those are internal errors, logged in full and answered with a generic 500.
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isFastifyError(error)) {
    const known = BY_FASTIFY_CODE[error.code];
    if (known) return new AppError(known[0], known[1]);
    const key = BY_HTTP_STATUS[error.statusCode];
    return key ? new AppError(key) : undefined;
  }
  if (error instanceof HttpException) {
    const key = BY_HTTP_STATUS[error.getStatus()];
    // Nest's own 404 names the route ("Cannot GET /x"); our generic text says the same without echoing input.
    return key ? new AppError(key) : undefined;
  }
  if (isDatabaseUnavailableError(error))
    return new AppError('UNAVAILABLE', 'The database is unavailable; retry later');
  return undefined;
}
