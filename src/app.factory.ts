import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from './app.module';
import { AppError } from './common/errors/app-error';
import { sendError } from './common/errors/send-error';
import { accessLogFields } from './common/http/access-log';
import { parseJsonBody, refuseBody } from './common/http/json-body-parser';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { MAX_PATH_PARAM_LENGTH } from './common/http/router-limits';
import { setupSwagger } from './common/http/swagger';
import { createLogger } from './common/logging/logger';
import { NestPinoLogger } from './common/logging/nest-logger';
import { runWithRequestContext } from './common/logging/request-context';
import { loadAppConfig } from './config/app.config';

export interface CreateAppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
}

/**
 * Builds the application exactly as it runs in production; main.ts and the e2e tests both use it, so the
 * global filter, pipes, hooks and body parser cannot drift between them.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = loadAppConfig();
  const logger = createLogger(config.logLevel, options.logDestination);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdFor,
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Malformed percent-escapes and over-long path segments are answered before routing; same body as the rest.
    frameworkErrors: (_error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendError(
        reply,
        request.id,
        new AppError('INVALID_PARAMETER', 'The request path is not valid'),
      ),
    // Our own onResponse hook writes the access log, with secrets kept out of URLs.
    logController: new LogController({ disableRequestLogging: true }),
    loggerInstance: logger,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    rawBody: true,
    abortOnError: false,
    logger: new NestPinoLogger(logger),
  });
  registerRequestHooks(app, logger);
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, parseJsonBody);
  // This API speaks JSON only: other bodies get 415 instead of reaching validation as strings.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: config.bodyLimitBytes },
    refuseBody,
  );
  setupSwagger(app);
  app.enableShutdownHooks();
  return app;
}

function registerRequestHooks(app: NestFastifyApplication, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    runWithRequestContext({ requestId: request.id }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(accessLogFields(request, reply), 'request completed');
    done();
  });
}
