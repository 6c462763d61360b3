import pino, { type Logger } from 'pino';
import type { LogLevel } from '../../config/app.config';
import { tracingHooks } from '../tracing/tracing-hooks';
import { currentRequestId } from './request-context';

/**
 * Anything secret that could reach a log line by accident: callers' credential headers and the fields of
 * request and token bodies. Our own code never logs them on purpose; this is the second line of defence.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-auth-token"]',
  'req.headers["x-security-token"]',
  'req.headers.cookie',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  // Only where a body or query would hold them: `*.code` would also blank error codes (P2002, ECONNRESET).
  '*.body.code',
  '*.body.state',
  '*.query.code',
  '*.query.state',
  '*.code_verifier',
  '*.client_secret',
  '*.clientSecret',
  '*.sk',
];

/** Loggers writing to stdout asynchronously, to be flushed before the process exits. */
const asynchronous = new Set<Logger>();

/** Access log lines are written once this much is pending… */
const ACCESS_LOG_BATCH_BYTES = 4096;
/** …and at the latest this often. */
const ACCESS_LOG_FLUSH_MS = 250;

/** Flushing stdout does not take longer than this unless the reader stalls; exiting must not wait for that. */
const FLUSH_BOUND_MS = 2_000;

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      ...lineOptions(level),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ sync: false }),
  );
  if (destination === undefined) asynchronous.add(logger);
  return logger;
}

/**
 * The access log's logger: the same lines (level, time, service, request id) without the redaction paths. Its
 * lines hold only what accessLogFields builds (method, the URL with query values redacted, status, time, address),
 * never a header or body, so there is nothing to redact; the paths are walked on every line and cost most of it
 * (a line took about 7 times as long with them in a microbenchmark, issue 14). On stdout its lines are written in
 * batches of ACCESS_LOG_BATCH_BYTES, and at the latest every ACCESS_LOG_FLUSH_MS, instead of one write per
 * request (pino's advice for asynchronous logging); flushLogs() and pino's exit hook write what is pending.
 * Batched lines may reach stdout after a later line of the other logger; each carries its time and request id.
 * The request id is one of accessLogFields' own fields, so this logger has no mixin unless tracing is on: pino
 * merges a mixin's object into the line's with Object.assign, and on this path that merge built a new hidden
 * class for every line in some processes (V8 profile and `perf record -e page-faults`: `Object.assign` →
 * `Map::TransitionToDataProperty` → `Factory::NewMap`), a fifth of `GET /health`'s CPU (issue 14).
 */
export function createAccessLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  if (destination !== undefined) return pino(accessLineOptions(level), destination);
  const stream = pino.destination({ sync: false, minLength: ACCESS_LOG_BATCH_BYTES });
  const logger = pino(accessLineOptions(level), stream);
  asynchronous.add(logger);
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Only a stream already ended at exit throws; its lines were written by then.
    }
  }, ACCESS_LOG_FLUSH_MS).unref();
  stream.once('close', () => clearInterval(timer));
  return logger;
}

/** What every line carries. With tracing on, every line written inside a trace also has its trace and span ids. */
function lineOptions(level: LogLevel): pino.LoggerOptions {
  const tracing = tracingHooks();
  return {
    ...commonLineOptions(level),
    // Object.assign, not spreads: merging with spreads costs microseconds per line on Node.js 20.
    mixin: tracing ? () => Object.assign(requestIdField(), tracing.logFields()) : requestIdField,
  };
}

/** The access log's lines: their request id comes with their fields, only trace and span ids from a mixin. */
function accessLineOptions(level: LogLevel): pino.LoggerOptions {
  const tracing = tracingHooks();
  return tracing
    ? { ...commonLineOptions(level), mixin: () => tracing.logFields() ?? {} }
    : commonLineOptions(level);
}

function commonLineOptions(level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: { service: 'git-auth-service' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

/**
 * Waits until every line logged so far has been written. pino's own exit hook writes only the lines still queued
 * synchronously; a write already in flight when process.exit() runs can be lost, and it is usually the last line
 * (`shutdown complete`). Call this before process.exit().
 */
export async function flushLogs(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FLUSH_BOUND_MS);
  });
  const flushed = [...asynchronous].map(
    (logger) => new Promise<void>((resolve) => logger.flush(() => resolve())),
  );
  await Promise.race([Promise.all(flushed), bound]);
  clearTimeout(timer);
}

function requestIdField(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}
