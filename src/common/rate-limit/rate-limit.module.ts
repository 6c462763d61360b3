import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { rateLimitConfig, type RateLimitConfig } from '../../config/rate-limit.config';
import { FixedWindowStorage } from './fixed-window.storage';

const ONE_MINUTE_MS = 60_000;

/** The counters, a provider of their own so that Nest closes the Redis connection at shutdown. */
@Module({
  imports: [ConfigModule.forFeature(rateLimitConfig)],
  providers: [FixedWindowStorage],
  exports: [FixedWindowStorage],
})
class RateLimitStorageModule {}

/**
 * Counters in Redis (REDIS_URL, shared by every replica) or in this process's memory. ThrottlerModule is global,
 * so @CreationRateLimit() works in any feature module.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule.forFeature(rateLimitConfig), RateLimitStorageModule],
      inject: [rateLimitConfig.KEY, FixedWindowStorage],
      useFactory: (config: RateLimitConfig, storage: FixedWindowStorage) => ({
        // The name `default` gives the plain `Retry-After` and `X-RateLimit-*` headers (others get a suffix).
        throttlers: [{ name: 'default', ttl: ONE_MINUTE_MS, limit: config.createPerMinute }],
        storage,
      }),
    }),
  ],
})
export class RateLimitModule {}
