import { types } from 'node:util';

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
/**
 * SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown), 53300 too many
 * connections, 57014 a statement cancelled by statement_timeout, 25P03 a transaction ended by
 * idle_in_transaction_session_timeout: the database is overloaded or gone, retry later.
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P|53300|57014|25P03)/;
/**
 * Socket errors only a connection we open can raise. Not ECONNRESET or EPIPE: a caller aborting its own request
 * raises those too and must not look like a database outage (a dropped database connection arrives as a driver
 * error, recognised above).
 */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/**
 * node-postgres errors without a code, which reach us unwrapped: the pool found no connection within its connect
 * timeout; a connection was cut (server stopped or crashed) or did not complete its start-up in time; a
 * statement got no answer in time (QueryWatchdog's bound, or query_timeout at start-up: a frozen server or network).
 */
const DRIVER_MESSAGES =
  /timeout exceeded when trying to connect|^Connection terminated|^Query read timeout$|^Client has encountered a connection error and is not queryable$/i;

interface ErrorShape {
  name?: unknown;
  /** node-postgres' DatabaseError (the hot reads that go straight to the pool): the server's severity. */
  severity?: unknown;
  message?: unknown;
  code?: unknown;
  meta?: {
    driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } };
  };
  cause?: unknown;
}

/**
 * A socket error of a connection to the database (ECONNRESET, EPIPE… from a query sent straight to the pool):
 * the server went away. Wrapped where the query is sent, because the same codes from elsewhere can be a
 * client's own doing.
 */
export class DatabaseConnectionLost extends Error {
  constructor(cause: Error) {
    super(`database connection lost: ${cause.message}`, { cause });
    this.name = 'DatabaseConnectionLost';
  }
}

/** A Node system error (it names the socket call that failed), as opposed to the server's own error. */
export function isSocketError(error: unknown): error is Error {
  // isNativeError, not instanceof: a socket's errors come from Node's own realm (not the same Error under jest).
  return types.isNativeError(error) && typeof (error as { syscall?: unknown }).syscall === 'string';
}

export function isDatabaseUnavailableError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  if (error instanceof DatabaseConnectionLost) return true;
  const e = error as ErrorShape;
  if (e.name === 'PrismaClientInitializationError') return true;
  if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
  if (
    typeof e.code === 'string' &&
    (UNAVAILABLE_PRISMA_CODES.has(e.code) || UNAVAILABLE_ERRNO.has(e.code))
  ) {
    return true;
  }
  // The server's own error on a query sent through the pool directly: its code is the SQLSTATE.
  if (
    typeof e.severity === 'string' &&
    typeof e.code === 'string' &&
    UNAVAILABLE_SQLSTATE.test(e.code)
  )
    return true;
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause) {
    if (typeof cause.kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) return true;
    const sqlState = cause.originalCode ?? cause.code;
    if (typeof sqlState === 'string' && UNAVAILABLE_SQLSTATE.test(sqlState)) return true;
  }
  return isDatabaseUnavailableError(e.cause, depth + 1);
}

/**
 * A prepared statement whose result columns a migration changed (PostgreSQL refuses it at Bind, before running
 * anything): that connection's copy is stale, the statement itself did not happen.
 */
export function isStalePreparedStatement(error: unknown): boolean {
  const e = error as ErrorShape | null;
  return (
    typeof e?.severity === 'string' &&
    e.code === '0A000' &&
    typeof e.message === 'string' &&
    e.message.includes('cached plan must not change result type')
  );
}
