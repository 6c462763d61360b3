import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsString, Max, Min } from '../common/validation/class-validator';
import { readEnv, ToInteger } from './env';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

class AppEnv {
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Request bodies of this API are a few hundred bytes; anything far larger is refused early. */
  @ToInteger()
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 64 * 1024;

  /** A request (head and body) must arrive within this: a client that trickles bytes cannot hold a socket. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(10 * 60 * 1000)
  REQUEST_TIMEOUT_MS: number = 30_000;

  /**
   * After SIGTERM: how long requests in flight and background work (revocations, refreshes) may take before
   * they are cut off. Keep it below the orchestrator's grace period (Kubernetes: 30 s by default).
   */
  @ToInteger()
  @IsInt()
  @Min(1000)
  @Max(10 * 60 * 1000)
  SHUTDOWN_TIMEOUT_MS: number = 25_000;

  /** After SIGTERM, readiness answers 503 this long before the listener closes, so load balancers notice first. */
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(60_000)
  SHUTDOWN_DELAY_MS: number = 0;
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(AppEnv, env);
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: Math.min(e.SHUTDOWN_DELAY_MS, e.SHUTDOWN_TIMEOUT_MS),
  };
}

export const appConfig = registerAs('app', () => loadAppConfig());
export type AppConfig = ReturnType<typeof loadAppConfig>;
