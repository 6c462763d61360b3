import { IsBoolean, IsOptional, Matches } from '../common/validation/class-validator';
import { readEnv, ToBoolean } from './env';

const HTTP_URL = /^https?:\/\/\S+$/;

/**
 * The OpenTelemetry variables the service itself decides on. The SDK reads the other standard ones
 * (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_…).
 */
class TracingEnv {
  /** Tracing is on when this (or the traces-only endpoint) is set: OTLP over HTTP to `{endpoint}/v1/traces`. */
  @IsOptional()
  @Matches(HTTP_URL, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional()
  @Matches(HTTP_URL, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** The standard switch that turns the SDK off whatever else is set. */
  @ToBoolean()
  @IsBoolean()
  OTEL_SDK_DISABLED: boolean = false;
}

export function loadTracingConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(TracingEnv, env);
  const endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT;
  return { enabled: !e.OTEL_SDK_DISABLED && endpoint !== undefined, endpoint };
}

export type TracingConfig = ReturnType<typeof loadTracingConfig>;
