/**
 * Recognises "the database is not there" among Prisma / driver adapter / node-postgres errors, so that an
 * outage answers 503 (retry later) instead of 500 (our bug).
 */

/** P2024/P2028: no connection or transaction could be had in time (pool exhausted or server stalled). */
const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1001',
  'P1002',
  'P1003',
  'P1008',
  'P1011',
  'P1017',
  'P2024',
  'P2028',
]);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
  'AuthenticationFailed',
  'DatabaseAccessDenied',
]);
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown), plus 53300 too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08|57P|53300)/;
/**
 * Socket errors only a connection we open can raise. Not ECONNRESET or EPIPE: a caller aborting its own request
 * raises those too and must not look like a database outage (a dropped database connection arrives as a driver
 * error, recognised above).
 */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres' pool, when no connection frees up within its connect timeout. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  meta?: {
    driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } };
  };
  cause?: unknown;
}

export function isDatabaseUnavailableError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as ErrorShape;
  if (e.name === 'PrismaClientInitializationError') return true;
  if (typeof e.message === 'string' && POOL_TIMEOUT.test(e.message)) return true;
  if (
    typeof e.code === 'string' &&
    (UNAVAILABLE_PRISMA_CODES.has(e.code) || UNAVAILABLE_ERRNO.has(e.code))
  ) {
    return true;
  }
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause) {
    if (typeof cause.kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) return true;
    const sqlState = cause.originalCode ?? cause.code;
    if (typeof sqlState === 'string' && UNAVAILABLE_SQLSTATE.test(sqlState)) return true;
  }
  return isDatabaseUnavailableError(e.cause, depth + 1);
}
