import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The machine's Redis (CI starts it); TEST_REDIS_URL names another. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A key prefix of this test run alone (the Redis is shared with other engineers and runs), and the cleanup of
 * every key under it.
 */
export async function testRedisPrefix(): Promise<{ prefix: string; cleanup: () => Promise<void> }> {
  const prefix = `git-auth-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (start it: redis-server --daemonize yes --bind 127.0.0.1 ` +
        `--port 6379 --save "" --appendonly no): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    prefix,
    cleanup: async () => {
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  };
}
