import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory';
import { Lifecycle } from './common/lifecycle/lifecycle';
import { appConfig, type AppConfig } from './config/app.config';
import { loadDotEnv } from './config/dotenv';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  const app = await createApp();
  const { port, host } = app.get<AppConfig>(appConfig.KEY);
  await app.listen(port, host);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutDown(app, signal));
  }
}

let shuttingDown = false;

/**
 * Graceful stop (order in Lifecycle and PrismaService): readiness 503, listener closed, requests and background
 * work finished, database closed, then one summary line and exit status 0 (1 if work had to be cut off).
 * A second signal during the drain exits at once.
 */
async function shutDown(app: NestFastifyApplication, signal: NodeJS.Signals): Promise<void> {
  const logger = new Logger('Shutdown');
  if (shuttingDown) {
    logger.warn({ msg: 'second signal: exiting without waiting', signal });
    process.exit(1);
  }
  shuttingDown = true;
  let status = 0;
  try {
    await app.close();
    const report = app.get(Lifecycle).lastShutdown;
    if (report && (report.cutRequests > 0 || report.backgroundAbandoned.length > 0)) status = 1;
    logger.log({ msg: 'shutdown complete', signal, ...report, exitStatus: status });
  } catch (error) {
    status = 1;
    logger.error({ msg: 'shutdown failed', err: error, exitStatus: status });
  }
  // pino's asynchronous destination is flushed on exit.
  process.exit(status);
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration); this is the one place that writes to stderr directly.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
