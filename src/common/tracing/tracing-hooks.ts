/**
 * The seam between the service and OpenTelemetry. This file imports nothing from OpenTelemetry: with tracing off
 * (no OTEL_EXPORTER_OTLP_ENDPOINT) nothing is installed, `tracingHooks()` is undefined and callers skip every
 * tracing step. With tracing on, start-tracing.ts loads the SDK and installs its implementation here, before the
 * application is built.
 */

/** Ends a client span; `failed` marks it as an error. */
export type EndClientSpan = (failed: boolean, attributes: Record<string, string | number>) => void;

export interface TracingHooks {
  /** Starts a client span under the active one (e.g. a call to a git provider). */
  startClientSpan(name: string, attributes: Record<string, string | number>): EndClientSpan;
  /** Names the active HTTP server span after its route template (`GET /v1/:project_id/git/auths`). */
  setHttpRoute(route: string): void;
  /** Ids of the active span, for log lines; undefined outside a trace. */
  logFields(): { traceId: string; spanId: string } | undefined;
}

let installed: TracingHooks | undefined;

export function installTracingHooks(hooks: TracingHooks | undefined): void {
  installed = hooks;
}

export function tracingHooks(): TracingHooks | undefined {
  return installed;
}
