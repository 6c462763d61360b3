import { registerAs } from '@nestjs/config';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from '../common/validation/class-validator';
import { readEnv, ToInteger } from './env';

class RateLimitEnv {
  /** Authorizations a project may create per minute, all creating endpoints together. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_CREATE_PER_MINUTE: number = 30;

  /** Shared counters for every replica; unset: each replica counts in its own memory. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of every key this service writes to Redis (several services or environments can share one). */
  @IsString()
  @MaxLength(100)
  REDIS_KEY_PREFIX: string = 'git-auth:';
}

export function loadRateLimitConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(RateLimitEnv, env);
  return {
    createPerMinute: e.RATE_LIMIT_CREATE_PER_MINUTE,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
  };
}

export const rateLimitConfig = registerAs('rateLimit', () => loadRateLimitConfig());
export type RateLimitConfig = ReturnType<typeof loadRateLimitConfig>;
