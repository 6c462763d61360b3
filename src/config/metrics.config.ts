import { registerAs } from '@nestjs/config';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
} from '../common/validation/class-validator';
import { readEnv, ToBoolean, ToInteger } from './env';

class MetricsEnv {
  @ToBoolean()
  @IsBoolean()
  METRICS_ENABLED: boolean = true;

  /** Unset: /metrics on the service's port. Set: /metrics only on a listener of its own at this port. */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** Listen address of METRICS_PORT; unset: the same as HOST. */
  @IsOptional()
  @IsString()
  METRICS_HOST?: string;

  /**
   * Bearer token a scraper sends (`Authorization: Bearer …`, Prometheus' `authorization.credentials`). Required on
   * the service's port when callers are authenticated: that port is where the world's requests arrive.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;
}

export function loadMetricsConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(MetricsEnv, env);
  return {
    enabled: e.METRICS_ENABLED,
    port: e.METRICS_PORT,
    host: e.METRICS_HOST,
    token: e.METRICS_TOKEN,
  };
}

export const metricsConfig = registerAs('metrics', () => loadMetricsConfig());
export type MetricsConfig = ReturnType<typeof loadMetricsConfig>;
