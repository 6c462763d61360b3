import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error';
import type { ErrorResponseDto } from '../errors/error-response.dto';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

/** Errors Node's HTTP parser raises before a request exists (bad request line, header overflow, broken chunks). */
interface ClientError extends Error {
  code?: string;
}

const BODY_ERRORS = new Set([
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_INVALID_EOF_STATE',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
]);

function errorFor(code: string | undefined): AppError {
  if (code === 'HPE_HEADER_OVERFLOW') return new AppError('HEADERS_TOO_LARGE');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT')
    return new AppError('REQUEST_TIMEOUT');
  if (code === 'HPE_INVALID_METHOD')
    return new AppError('INVALID_PARAMETER', 'Unknown HTTP method');
  if (code !== undefined && BODY_ERRORS.has(code))
    return new AppError('INVALID_PARAMETER', 'Malformed HTTP request body');
  return new AppError('INVALID_PARAMETER', 'Malformed HTTP request');
}

/**
 * Answers what Node's parser refuses with the one error body of this API, an X-Request-Id and
 * `Connection: close` (the connection cannot be read any further), then closes it. These are the client's
 * doing: logged at debug, never with the bytes received (they may hold credentials).
 */
export function clientErrorHandler(
  logger: Logger,
  requestIdOf: (request: IncomingMessage) => string | undefined,
): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      logger.debug({ code: error.code }, 'client connection reset');
      return;
    }
    // A request whose head was parsed already has a response object (and a request id): reuse its id.
    const inProgress = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    const requestId = (inProgress?.req && requestIdOf(inProgress.req)) ?? randomUUID();
    const appError = errorFor(error.code);
    logger.debug(
      { requestId, code: error.code, statusCode: appError.status },
      'malformed request refused',
    );
    if (!socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(appError, requestId));
    // A peer that neither reads nor closes must not keep the socket.
    setTimeout(() => socket.destroy(), 1_000).unref();
  };
}

/**
 * Node hands CONNECT requests to a 'connect' listener and, without one, drops the connection unanswered. This API
 * has no tunnels: answered like any unknown method.
 */
export function refuseConnect(request: IncomingMessage, socket: Socket): void {
  socket.end(rawErrorResponse(new AppError('ROUTE_NOT_FOUND'), requestIdFor(request)));
}

/** A whole HTTP/1.1 error response with the SVCSTG body, for sockets outside Fastify's request cycle. */
function rawErrorResponse(error: AppError, requestId: string): string {
  const body: ErrorResponseDto = { error_code: error.code, error_msg: error.message };
  const payload = JSON.stringify(body);
  return (
    `HTTP/1.1 ${error.status} ${reasonPhrase(error.status)}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
    `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
    'Connection: close\r\n\r\n' +
    payload
  );
}

function reasonPhrase(status: number): string {
  return (
    {
      400: 'Bad Request',
      404: 'Not Found',
      408: 'Request Timeout',
      431: 'Request Header Fields Too Large',
    }[status] ?? 'Error'
  );
}

/**
 * The caller hung up or broke its own body while we read it: Fastify reports the stream's error with status 400.
 * Not our failure, not worth more than a debug line.
 */
export function isClientAbort(error: unknown): boolean {
  // Duck-typed: errors raised by Node's internals are not `instanceof Error` inside Jest's sandbox.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, statusCode } = error as {
    code?: unknown;
    message?: unknown;
    statusCode?: unknown;
  };
  if (typeof code === 'string' && code.startsWith('HPE_')) return true;
  // Fastify marks errors of the request stream it was reading with status 400; a database or provider
  // connection reset never reaches the filter in that shape.
  return (
    statusCode === 400 &&
    (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'aborted')
  );
}
