import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
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

/** A key's window after one more hit. */
export interface WindowCount {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window ends (at least 1): the Retry-After of a refused request. */
  readonly resetSeconds: number;
  /** This hit was over the limit. */
  readonly limited: boolean;
}

/** A rate limit check must not wait on Redis longer than this; past it the replica counts alone. */
const REDIS_COMMAND_TIMEOUT_MS = 500;
const REDIS_CONNECT_TIMEOUT_MS = 2_000;
const WINDOW_SECONDS = 60;

/**
 * The creation limit's counters as fixed windows of a minute (rate-limiter-flexible): one counter per key and
 * window, so a check costs the same whatever the limit. With REDIS_URL every replica shares them, one atomic
 * script per check; while Redis is unreachable each replica falls back to counting in its own memory (requests
 * are never refused or failed because of Redis). Without REDIS_URL each replica counts on its own.
 */
@Injectable()
export class FixedWindowStorage implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly limit: number;
  private readonly limiter: RateLimiterAbstract;
  private readonly redis?: Redis;
  private redisDown = false;
  private closing?: Promise<void>;

  constructor(@Inject(rateLimitConfig.KEY) config: RateLimitConfig) {
    this.limit = config.createPerMinute;
    const options = { points: this.limit, duration: WINDOW_SECONDS };
    const memory = new RateLimiterMemory(options);
    if (config.redisUrl) this.redis = this.connect(config.redisUrl);
    this.limiter = this.redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: this.redis,
          keyPrefix: `${config.redisKeyPrefix}rl`,
          insuranceLimiter: memory,
        })
      : memory;
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

  /** Counts one hit on `key` in its current window. */
  async consume(key: string): Promise<WindowCount> {
    let result: RateLimiterRes;
    try {
      result = await this.limiter.consume(key);
    } catch (rejection) {
      // Over the limit: the library rejects with the counter's state.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      result = rejection;
    }
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - result.consumedPoints),
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      limited: result.consumedPoints > this.limit,
    };
  }

  /** Idempotent: Nest may reach this provider through more than one module import and call the hook for each. */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= this.redis
      ? this.redis.quit().then(
          () => undefined,
          () => this.redis?.disconnect(),
        )
      : Promise.resolve();
    return this.closing;
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
