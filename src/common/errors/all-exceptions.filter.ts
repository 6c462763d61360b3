import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error';
import type { ErrorResponseDto } from './error-response.dto';
import { toAppError } from './to-app-error';

/** Every failure, from Fastify's body parser to an unexpected bug, leaves as one `SVCSTG.REPO` body. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toAppError(exception) ?? new AppError('INTERNAL');

    if (error.status >= 500) {
      this.logger.error({
        msg: 'request failed',
        errorCode: error.code,
        method: request.method,
        route: request.routeOptions.url,
        err: exception,
      });
    }

    const body: ErrorResponseDto = { error_code: error.code, error_msg: error.message };
    void reply
      .status(error.status)
      .headers(error.headers)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(body));
  }
}
