import 'reflect-metadata';
import { flushLogs } from './common/logging/logger';
import { startTracing, stopTracing } from './common/tracing/start-tracing';
import { loadDotEnv } from './config/dotenv';
import { preflightConfiguration } from './config/preflight';

/**
 * The service's start: .env, tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set), the configuration check, the
 * service. Everything else is loaded only after tracing started, because its instrumentations patch http and pg
 * as they are required; with tracing off, no OpenTelemetry SDK module is loaded at all.
 */
export function start(): void {
  main().catch(async (error: unknown) => {
    // The logger may not exist yet (bad configuration); this is the one place that writes to stderr directly.
    console.error(
      `git-auth-service did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    await flushLogs();
    process.exit(1);
  });
}

/**
 * Loads every module a start loads, and starts nothing: the build runs this to record V8's code cache of the
 * bundled service (src/bundle/run-bundle.ts).
 */
export function loadModules(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./service');
}

async function main(): Promise<void> {
  loadDotEnv();
  const tracing = startTracing();
  try {
    // A configuration error is reported before the application is loaded or any connection is made.
    preflightConfiguration();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runService } = require('./service') as typeof import('./service');
    await runService(tracing);
  } catch (error) {
    await stopTracing(tracing);
    throw error;
  }
}
