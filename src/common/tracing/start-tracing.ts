import { loadTracingConfig } from '../../config/tracing.config';
import type { OpenTelemetry } from './open-telemetry';
import { installTracingHooks } from './tracing-hooks';

/**
 * Starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set, and returns it (to flush on shutdown); otherwise
 * does nothing and returns undefined. Must run before the application's modules are loaded: the HTTP and pg
 * instrumentations patch those modules as they are required.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): OpenTelemetry | undefined {
  const config = loadTracingConfig(env);
  if (!config.enabled) return undefined;
  // Required only here: with tracing off, not one OpenTelemetry SDK or instrumentation module is loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startOpenTelemetry } = require('./open-telemetry') as typeof import('./open-telemetry');
  const otel = startOpenTelemetry();
  installTracingHooks(otel.hooks);
  return otel;
}

/** Spans still buffered at exit get this long to reach the collector. */
const FLUSH_BOUND_MS = 5_000;

/** Sends the spans still buffered and stops, within a bound: an unreachable collector must not hold the exit. */
export async function stopTracing(tracing: OpenTelemetry | undefined): Promise<void> {
  if (tracing === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    tracing.shutdown().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, FLUSH_BOUND_MS);
    }),
  ]);
  clearTimeout(timer);
}
