import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import { sendError } from './send-error';
import { toAppError } from './to-app-error';

/** Every failure, from Fastify's body parser to an unexpected bug, leaves as one `SVCSTG.REPO` body. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const error = toAppError(exception) ?? new AppError('INTERNAL');
    const context = {
      errorCode: error.code,
      method: request.method,
      route: request.routeOptions.url,
    };

    if (error.key === 'PROVIDER_UNAVAILABLE' || error.key === 'PROVIDER_TIMEOUT') {
      // A provider's outage: worth a warning with its cause, not a stack trace.
      this.logger.warn({ msg: 'provider failed', ...context, cause: error.message });
    } else if (error.status >= 500) {
      this.logger.error({ msg: 'request failed', ...context, err: exception });
    }
    sendError(http.getResponse<FastifyReply>(), request.id, error);
  }
}
