/**
 * The OpenTelemetry SDK, loaded by start-tracing.ts only when tracing is configured: the one file that imports
 * OpenTelemetry's SDK, exporter and instrumentations.
 */
import { IncomingMessage } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { loggableUrl } from '../http/access-log';
import type { TracingHooks } from './tracing-hooks';

const SERVICE_NAME = 'git-auth-service';

/** Probes and scrapes arrive every few seconds and would bury the traces worth reading. */
const UNTRACED_PATHS = /^\/(health(\/ready)?|metrics)(\?|$)/;

export interface OpenTelemetry {
  readonly hooks: TracingHooks;
  /** Where spans go, for the start-up line. */
  readonly endpoint: string;
  /** Ends the span export, sending what is still buffered. */
  shutdown(): Promise<void>;
}

/**
 * Traces over OTLP/HTTP (JSON) to the standard OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, with the SDK's standard
 * variables honoured (service name and resource attributes, headers, timeout, sampler, batch settings), W3C
 * `traceparent`/`baggage` propagation, and spans for HTTP server requests, pg queries and pool connections, and
 * (through the hooks) provider calls.
 */
export function startOpenTelemetry(): OpenTelemetry {
  const exporter = new OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ 'service.name': SERVICE_NAME }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
        // The service's own HTTP calls go through undici (provider calls are traced by ProviderTelemetry).
        disableOutgoingRequestInstrumentation: true,
        requestHook: (span, request) => {
          // Like the access log: only `tag` of a query is shown; any other value may be a pasted secret.
          if (!(request instanceof IncomingMessage)) return;
          const url = loggableUrl(request.url ?? '');
          const query = url.indexOf('?');
          if (query !== -1) span.setAttribute('url.query', url.slice(query + 1));
        },
      }),
      // Statements are parameterised; their values (names, sealed secrets) are never recorded.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  const tracer = provider.getTracer(SERVICE_NAME);
  const hooks: TracingHooks = {
    startClientSpan(name, attributes) {
      const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
      return (failed, more) => {
        span.setAttributes(more);
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      };
    },
    setHttpRoute(route) {
      // Read by the HTTP instrumentation when the response ends: the span becomes `GET /v1/:project_id/…`.
      const rpc = getRPCMetadata(context.active());
      if (rpc?.type === RPCType.HTTP) rpc.route = route;
    },
    logFields() {
      const span = trace.getSpan(context.active());
      if (span === undefined) return undefined;
      const { traceId, spanId } = span.spanContext();
      return { traceId, spanId };
    },
  };
  return {
    hooks,
    endpoint: exporterUrl(),
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}

/** The exporter's target as the SDK derives it (no credentials are ever part of it: headers carry those). */
function exporterUrl(): string {
  const traces = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? '';
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}
