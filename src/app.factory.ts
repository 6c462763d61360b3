import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { AppModule } from './app.module';
import { AppError } from './common/errors/app-error';
import { sendError } from './common/errors/send-error';
import { accessLogFields } from './common/http/access-log';
import { clientErrorHandler, refuseConnect } from './common/http/client-errors';
import { parseJsonBody, refuseBody } from './common/http/json-body-parser';
import { lazySchemaCompilers } from './common/http/lazy-schema-compilers';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { MAX_PATH_PARAM_LENGTH } from './common/http/router-limits';
import { Lifecycle } from './common/lifecycle/lifecycle';
import { registerHttpMetrics } from './common/metrics/http-metrics';
import { Metrics } from './common/metrics/metrics';
import { MetricsEndpoint } from './common/metrics/metrics-endpoint';
import { registerHttpTracing } from './common/tracing/http-tracing';
import { setupSwagger } from './common/http/swagger';
import { createAccessLogger, createLogger } from './common/logging/logger';
import { NestPinoLogger } from './common/logging/nest-logger';
import { runWithRequestContext } from './common/logging/request-context';
import { loadAppConfig } from './config/app.config';
import { authConfig, type AuthConfig } from './config/auth.config';
import { preflightConfiguration } from './config/preflight';

export interface CreateAppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logDestination?: DestinationStream;
}

/**
 * Builds the application exactly as it runs in production; main.ts and the e2e tests both use it, so the
 * global filter, pipes, hooks and body parser cannot drift between them.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  // Every setting is checked before anything is touched: a missing key must not surface after migrations ran.
  preflightConfiguration();
  const config = loadAppConfig();
  const logger = createLogger(config.logLevel, options.logDestination);
  const accessLog = createAccessLogger(config.logLevel, options.logDestination);
  // The raw request's id, for errors Node raises on a connection outside Fastify's request cycle.
  const requestIds = new WeakMap<IncomingMessage, string>();
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Fastify turns Node's own 5-minute bound off by default; slow clients are answered 408 instead.
    requestTimeout: config.requestTimeoutMs,
    genReqId: (raw: IncomingMessage) => {
      const id = requestIdFor(raw);
      requestIds.set(raw, id);
      return id;
    },
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Node's own answers (a bare 400 for a missing Host, Fastify's 400/431 JSON for what the parser refuses,
    // Fastify's 503 while closing) would not be SVCSTG bodies: these cases are answered by our hooks below.
    // Node checks request deadlines on an interval (30 s by default): often enough for REQUEST_TIMEOUT_MS.
    http: {
      requireHostHeader: false,
      connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs),
      requestTimeout: config.requestTimeoutMs,
    },
    clientErrorHandler: clientErrorHandler(logger, (raw) => requestIds.get(raw)),
    return503OnClosing: false,
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
    // Fastify would make a pino child per request (request.log) that nothing here uses: lines written during a
    // request carry its id through the logger's mixin (AsyncLocalStorage) already.
    childLoggerFactory: (parent: FastifyBaseLogger) => parent,
    schemaController: { compilersFactory: lazySchemaCompilers },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    rawBody: true,
    abortOnError: false,
    logger: new NestPinoLogger(logger),
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Before any route is registered (Nest's at init, Swagger's below): metrics hook into each route as it comes.
  registerHttpMetrics(fastify, app.get(Metrics));
  registerHttpTracing(fastify);
  app
    .get(MetricsEndpoint)
    .mount(fastify, app.get<AuthConfig>(authConfig.KEY, { strict: false }).mode === 'iam');
  registerRequestHooks(app, accessLog, app.get(Lifecycle));
  app.getHttpServer().on('connect', refuseConnect);
  app.useBodyParser('application/json', { bodyLimit: config.bodyLimitBytes }, parseJsonBody);
  // This API speaks JSON only: other bodies get 415 instead of reaching validation as strings.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: config.bodyLimitBytes },
    refuseBody,
  );
  setupSwagger(app);
  // No enableShutdownHooks(): Nest's re-raises the signal after closing (exit status 143). main.ts handles
  // SIGTERM/SIGINT with app.close(), whose order Lifecycle and PrismaService define.
  return app;
}

function registerRequestHooks(
  app: NestFastifyApplication,
  accessLog: Logger,
  lifecycle: Lifecycle,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    lifecycle.requestStarted((finished) => reply.raw.once('close', finished));
    if (lifecycle.phase === 'closing') {
      sendError(
        reply,
        request.id,
        new AppError('UNAVAILABLE', 'This instance is shutting down; retry'),
      );
      return;
    }
    if (request.raw.httpVersion === '1.1' && !request.headers.host) {
      sendError(
        reply,
        request.id,
        new AppError('INVALID_PARAMETER', 'The Host header is required'),
      );
      return;
    }
    runWithRequestContext({ requestId: request.id, caller: undefined }, done);
  });
  // While closing, every response ends its connection, so keep-alive clients move to another instance and the
  // server's close is not held up by idle keep-alive sockets.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.phase === 'closing') void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    accessLog.info(accessLogFields(request, reply), 'request completed');
    done();
  });
}
