import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { readEnv, ToInteger } from './env';

class RateLimitEnv {
  /** Authorizations a project may create per minute, all creating endpoints together. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_CREATE_PER_MINUTE: number = 30;
}

export function loadRateLimitConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(RateLimitEnv, env);
  return { createPerMinute: e.RATE_LIMIT_CREATE_PER_MINUTE };
}

export const rateLimitConfig = registerAs('rateLimit', () => loadRateLimitConfig());
export type RateLimitConfig = ReturnType<typeof loadRateLimitConfig>;
