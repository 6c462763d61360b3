import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory';
import { Lifecycle } from './common/lifecycle/lifecycle';
import { formatAddress } from './common/http/format-address';
import { flushLogs } from './common/logging/logger';
import { MetricsEndpoint } from './common/metrics/metrics-endpoint';
import { redactUrl } from './common/redact-url';
import type { OpenTelemetry } from './common/tracing/open-telemetry';
import { stopTracing } from './common/tracing/start-tracing';
import { appConfig, type AppConfig } from './config/app.config';
import { authConfig, type AuthConfig } from './config/auth.config';
import { rateLimitConfig, type RateLimitConfig } from './config/rate-limit.config';
import { DatabaseConnection } from './database/database-connection';
import { type ProvidersConfig, providersConfig } from './git-auth/providers/providers.config';

/**
 * The service as a process: the application (configuration checked first, then the database), the listener,
 * one `listening` line once the port is bound (with what is configured, no secrets), and a graceful stop on
 * SIGTERM/SIGINT. A failure to start exits with status 1 after one line saying why.
 */
export async function runService(tracing: OpenTelemetry | undefined): Promise<void> {
  const app = await createApp();
  const logger = new Logger('Service');
  const { port, host } = app.get<AppConfig>(appConfig.KEY);
  try {
    await app.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    logger.fatal({ msg: `cannot listen on ${host}:${port} (HOST, PORT): ${code}`, code });
    await app.close();
    await stopTracing(tracing);
    await flushLogs();
    process.exit(1);
  }
  const address = app.getHttpServer().address() as AddressInfo;
  logger.log({
    msg: `listening on http://${formatAddress(address)}`,
    ...startupSummary(app, tracing),
    startupMs: Math.round(process.uptime() * 1000),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutDown(app, signal, tracing));
  }
}

/** What an operator checks first at 3 a.m.: which providers and tags, which database, auth, metrics, tracing. */
function startupSummary(app: NestFastifyApplication, tracing: OpenTelemetry | undefined): object {
  const get = <T>(key: string | symbol) => app.get<T>(key, { strict: false });
  const providers = get<ProvidersConfig>(providersConfig.KEY);
  const database = app.get(DatabaseConnection, { strict: false });
  const auth = get<AuthConfig>(authConfig.KEY);
  const rateLimit = get<RateLimitConfig>(rateLimitConfig.KEY);
  return {
    providers: [...providers.keys()],
    // The OAuth applications of each provider by tag; a provider without one takes no OAuth (0453).
    oauthTags: Object.fromEntries(
      [...providers].flatMap(([repoType, settings]) =>
        settings.apps.size > 0
          ? [[repoType, [...settings.apps.keys()].map((tag) => tag || '(untagged)')]]
          : [],
      ),
    ),
    database: database.embedded ? 'embedded PostgreSQL' : redactUrl(database.url),
    auth: auth.mode,
    rateLimitCounters: rateLimit.redisUrl ? redactUrl(rateLimit.redisUrl) : 'in memory',
    metrics: app.get(MetricsEndpoint, { strict: false }).describe(),
    tracing: tracing ? `OTLP to ${redactUrl(tracing.endpoint)}` : 'off',
  };
}

let shuttingDown = false;

/**
 * Graceful stop (order in Lifecycle and PrismaService): readiness 503, listener closed, requests and background
 * work finished, database closed, buffered spans sent, then one summary line and exit status 0 (1 if work had to
 * be cut off). A second signal during the drain exits at once.
 */
async function shutDown(
  app: NestFastifyApplication,
  signal: NodeJS.Signals,
  tracing: OpenTelemetry | undefined,
): Promise<void> {
  const logger = new Logger('Shutdown');
  if (shuttingDown) {
    logger.warn({ msg: 'second signal: exiting without waiting', signal });
    await flushLogs();
    process.exit(1);
  }
  shuttingDown = true;
  let status = 0;
  try {
    await app.close();
    await stopTracing(tracing);
    const report = app.get(Lifecycle).lastShutdown;
    if (report && (report.cutRequests > 0 || report.backgroundAbandoned.length > 0)) status = 1;
    // The access log's batched lines first, so that `shutdown complete` is the last line, as promised.
    await flushLogs();
    logger.log({ msg: 'shutdown complete', signal, ...report, exitStatus: status });
  } catch (error) {
    status = 1;
    logger.error({ msg: 'shutdown failed', err: error, exitStatus: status });
  }
  await flushLogs();
  process.exit(status);
}
