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

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const tracing = tracingHooks();
  return pino(
    {
      level,
      base: { service: 'git-auth-service' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      // With tracing on, every line written inside a trace also carries its trace and span ids.
      mixin: tracing ? () => ({ ...requestIdField(), ...tracing.logFields() }) : requestIdField,
    },
    destination ?? pino.destination({ sync: false }),
  );
}

function requestIdField(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}
