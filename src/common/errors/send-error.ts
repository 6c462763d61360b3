import type { FastifyReply } from 'fastify';
import { REQUEST_ID_HEADER } from '../http/request-id';
import type { AppError } from './app-error';
import type { ErrorResponseDto } from './error-response.dto';

/** Writes the one error body of this API. */
export function sendError(reply: FastifyReply, requestId: string, error: AppError): void {
  const body: ErrorResponseDto = { error_code: error.code, error_msg: error.message };
  void reply
    .status(error.status)
    .headers(error.headers)
    .header(REQUEST_ID_HEADER, requestId)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}
