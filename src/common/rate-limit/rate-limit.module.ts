import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { rateLimitConfig, type RateLimitConfig } from '../../config/rate-limit.config';

const ONE_MINUTE_MS = 60_000;

/**
 * Counters live in this process's memory: with several replicas each one counts on its own. ThrottlerModule is
 * global, so @CreationRateLimit() works in any feature module.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule.forFeature(rateLimitConfig)],
      inject: [rateLimitConfig.KEY],
      useFactory: (config: RateLimitConfig) => ({
        // The name `default` gives the plain `Retry-After` and `X-RateLimit-*` headers (others get a suffix).
        throttlers: [{ name: 'default', ttl: ONE_MINUTE_MS, limit: config.createPerMinute }],
      }),
    }),
  ],
})
export class RateLimitModule {}
