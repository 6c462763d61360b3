import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { appConfig, type AppConfig } from '../../config/app.config';
import { metricsConfig, type MetricsConfig } from '../../config/metrics.config';
import { AppError } from '../errors/app-error';
import type { ErrorResponseDto } from '../errors/error-response.dto';
import { sendError } from '../errors/send-error';
import { formatAddress } from '../http/format-address';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { Metrics } from './metrics';
import { ScrapeAccess } from './scrape-access';

export const METRICS_PATH = '/metrics';

/**
 * Serves /metrics: on the service's port as a plain Fastify route (outside Nest's guards, pipes and Swagger: it is
 * not part of the API), or with METRICS_PORT on a listener of its own that serves nothing else.
 */
@Injectable()
export class MetricsEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;
  private access?: ScrapeAccess;

  constructor(
    private readonly metrics: Metrics,
    @Inject(metricsConfig.KEY) private readonly config: MetricsConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** On the service's port, unless METRICS_PORT moves it; `callersAuthenticated` is AUTH_MODE=iam. */
  mount(fastify: FastifyInstance, callersAuthenticated: boolean): void {
    if (!this.config.enabled || this.config.port !== undefined) return;
    const access = new ScrapeAccess(this.config.token, !callersAuthenticated);
    this.access = access;
    fastify.get(METRICS_PATH, async (request, reply) => {
      if (!access.allows(request.headers.authorization)) {
        sendError(reply, request.id, new AppError('UNAUTHENTICATED'));
        return reply;
      }
      const body = await this.render();
      if (body === undefined) {
        sendError(reply, request.id, new AppError('INTERNAL'));
        return reply;
      }
      return reply.header('content-type', this.metrics.contentType).send(body);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled || this.config.port === undefined) return;
    const access = new ScrapeAccess(this.config.token, true);
    this.access = access;
    const server = createServer((request, response) => void this.answer(access, request, response));
    const host = this.config.host ?? this.app.host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot listen for metrics on ${host}:${this.config.port} (METRICS_PORT): ${error.code ?? error.message}`,
          ),
        ),
      );
      server.listen(this.config.port, host, () => resolve());
    });
    this.server = server;
  }

  /** The exposition, or undefined (logged) when a collector failed: the scrape gets a 500, the service goes on. */
  private render(): Promise<string | undefined> {
    return this.metrics.render().catch((error: unknown) => {
      this.logger.error({ msg: 'metrics could not be collected', err: error });
      return undefined;
    });
  }

  /** Where and how /metrics is served, for the start-up line. */
  describe(): string {
    if (!this.config.enabled) return 'off (METRICS_ENABLED=false)';
    const where =
      this.server === undefined
        ? `${METRICS_PATH} on the service's port`
        : `${METRICS_PATH} on ${formatAddress(this.server.address() as AddressInfo)}`;
    if (this.access?.requiresToken) return `${where}, bearer token required`;
    if (this.access?.openWithoutToken === false)
      return `${where}: every scrape refused (AUTH_MODE=iam: set METRICS_TOKEN, or METRICS_PORT)`;
    return `${where}, open`;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(
    access: ScrapeAccess,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return fail(response, new AppError('ROUTE_NOT_FOUND'));
    }
    if (!access.allows(request.headers.authorization)) {
      return fail(response, new AppError('UNAUTHENTICATED'));
    }
    const body = await this.render();
    if (body === undefined) return fail(response, new AppError('INTERNAL'));
    response.writeHead(200, { 'content-type': this.metrics.contentType });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}

function fail(response: ServerResponse, error: AppError): void {
  const body: ErrorResponseDto = { error_code: error.code, error_msg: error.message };
  response.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    [REQUEST_ID_HEADER]: randomUUID(),
  });
  response.end(JSON.stringify(body));
}
