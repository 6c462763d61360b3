import { type ArgumentsHost, Catch, type ExceptionFilter, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DatabaseOutage } from '../../database/database-outage';
import { isDatabaseUnavailableError } from '../../database/database-errors';
import { isClientAbort } from '../http/client-errors';
import { AppError } from './app-error';
import { sendError } from './send-error';
import { toAppError } from './to-app-error';

/** Every failure, from Fastify's body parser to an unexpected bug, leaves as one `SVCSTG.REPO` body. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** Optional: unit tests build the filter without a database. */
  constructor(@Optional() private readonly outage?: DatabaseOutage) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const context = { method: request.method, route: request.routeOptions.url };
    if (isClientAbort(exception)) {
      // The caller hung up or broke its own body: the answer most likely reaches no one.
      this.logger.debug({ msg: 'client aborted its request', ...context });
      void reply.header('connection', 'close');
      sendError(
        reply,
        request.id,
        new AppError('INVALID_PARAMETER', 'The request body was cut off'),
      );
      return;
    }
    const error = toAppError(exception) ?? new AppError('INTERNAL');
    const logged = { errorCode: error.code, ...context };
    if (error.key === 'UNAVAILABLE') {
      // One warning when a database outage starts and one when it ends, not a stack per request; refusals while
      // shutting down are expected.
      if (isDatabaseUnavailableError(exception)) this.outage?.failed(exception);
    } else if (error.key === 'PROVIDER_UNAVAILABLE' || error.key === 'PROVIDER_TIMEOUT') {
      // A provider's outage: worth a warning with its cause, not a stack trace.
      this.logger.warn({ msg: 'provider failed', ...logged, cause: error.message });
    } else if (error.status >= 500) {
      this.logger.error({ msg: 'request failed', ...logged, err: exception });
    }
    sendError(reply, request.id, error);
  }
}
