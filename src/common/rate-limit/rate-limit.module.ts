import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { rateLimitConfig } from '../../config/rate-limit.config';
import { FixedWindowStorage } from './fixed-window.storage';

/**
 * The creation limit's counters, in Redis (REDIS_URL, shared by every replica) or in this process's memory.
 * Global, so that @CreationRateLimit()'s guard finds them from any feature module; one instance, which Nest
 * closes (with its Redis connection) at shutdown.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(rateLimitConfig)],
  providers: [FixedWindowStorage],
  exports: [FixedWindowStorage],
})
export class RateLimitModule {}
