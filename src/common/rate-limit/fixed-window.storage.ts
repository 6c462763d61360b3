import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type * as RateLimiterFlexible from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimitConfig, type RateLimitConfig } from '../../config/rate-limit.config';

// The three limiters' own files: the package's index loads every store it supports (Mongo, MySQL, DynamoDB,
// etcd, …), ~36 modules and ~45 ms of start-up CPU (issue 14). Each file exports its class.
/* eslint-disable @typescript-eslint/no-require-imports */
const RateLimiterMemory =
  require('rate-limiter-flexible/lib/RateLimiterMemory') as typeof RateLimiterFlexible.RateLimiterMemory;
const RateLimiterRedis =
  require('rate-limiter-flexible/lib/RateLimiterRedis') as typeof RateLimiterFlexible.RateLimiterRedis;
const RateLimiterRes =
  require('rate-limiter-flexible/lib/RateLimiterRes') as typeof RateLimiterFlexible.RateLimiterRes;
type RateLimiterRes = RateLimiterFlexible.RateLimiterRes;
/* eslint-enable @typescript-eslint/no-require-imports */

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A rate limit check must not wait on Redis longer than this; past it the replica counts alone. */
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/**
 * The throttler's counters as fixed windows (rate-limiter-flexible): one counter per key and window, so a check
 * costs the same whatever the limit (the throttler's own storage keeps and scans every hit of the window).
 * With REDIS_URL every replica shares them, one atomic script per check; while Redis is unreachable each
 * replica falls back to counting in its own memory (requests are never refused or failed because of Redis).
 * Without REDIS_URL each replica counts on its own.
 */
@Injectable()
export class FixedWindowStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly redis?: Redis;
  private redisDown = false;
  private closing?: Promise<void>;

  constructor(@Inject(rateLimitConfig.KEY) private readonly config: RateLimitConfig) {
    if (config.redisUrl) this.redis = this.connect(config.redisUrl);
  }

  /**
   * Waits (at most the connect timeout) for Redis before the port opens: without its connection every check
   * would go to the insurance limiter, so a replica starting on a loaded machine would count alone for its first
   * requests. Redis not answering by then is the outage case: the replica starts and counts alone meanwhile.
   */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, REDIS_CONNECT_TIMEOUT_MS);
      redis.once('ready', done);
    });
  }

  get shared(): boolean {
    return this.redis !== undefined;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    let result: RateLimiterRes;
    try {
      result = await this.limiterFor(limit, ttl).consume(key);
    } catch (rejection) {
      // Over the limit: the library rejects with the counter's state.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      result = rejection;
    }
    const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    const isBlocked = result.consumedPoints > limit;
    return {
      totalHits: result.consumedPoints,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    };
  }

  /** Idempotent: Nest reaches this provider through two module imports and calls the hook for each. */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.redis
      ? this.redis.quit().then(
          () => undefined,
          () => this.redis?.disconnect(),
        )
      : Promise.resolve();
    return this.closing;
  }

  private limiterFor(points: number, ttlMs: number): RateLimiterAbstract {
    const id = `${points}/${ttlMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const duration = Math.max(1, Math.round(ttlMs / 1000));
      const memory = new RateLimiterMemory({ points, duration });
      limiter = this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            points,
            duration,
            keyPrefix: `${this.config.redisKeyPrefix}rl`,
            insuranceLimiter: memory,
          })
        : memory;
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private connect(url: string): Redis {
    // Loaded only with REDIS_URL: ioredis and its dependencies are some 50 modules a start-up need not read.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis: Client } = require('ioredis') as typeof import('ioredis');
    const redis = new Client(url, {
      // Fail fast instead of queueing while disconnected: the insurance limiter counts meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      // How long a closing connection may stay half-open; short, so that shutdown is not held up.
      disconnectTimeout: 200,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      lazyConnect: false,
    });
    // One line when Redis goes away and one when it is back, not one per reconnection attempt.
    redis.on('error', (error: Error) => {
      if (this.redisDown) return;
      this.redisDown = true;
      this.logger.warn({
        msg: 'Redis unavailable: rate limits are counted per replica until it is back',
        error: error.message,
      });
    });
    redis.on('ready', () => {
      if (!this.redisDown) return;
      this.redisDown = false;
      this.logger.log({ msg: 'Redis available again: rate limits are shared' });
    });
    return redis;
  }
}
