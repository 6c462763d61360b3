import { loadRateLimitConfig } from './rate-limit.config';

describe('loadRateLimitConfig', () => {
  it('allows 30 creations per project and minute by default, counted per replica', () => {
    expect(loadRateLimitConfig({})).toEqual({
      createPerMinute: 30,
      redisUrl: undefined,
      redisKeyPrefix: 'git-auth:',
    });
  });

  it('reads RATE_LIMIT_CREATE_PER_MINUTE, REDIS_URL and REDIS_KEY_PREFIX', () => {
    expect(
      loadRateLimitConfig({
        RATE_LIMIT_CREATE_PER_MINUTE: '5',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
        REDIS_KEY_PREFIX: 'staging:git-auth:',
      }),
    ).toEqual({
      createPerMinute: 5,
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisKeyPrefix: 'staging:git-auth:',
    });
  });

  it.each(['0', '-1', 'ten', '1.5'])('names the variable for %j', (value) => {
    expect(() => loadRateLimitConfig({ RATE_LIMIT_CREATE_PER_MINUTE: value })).toThrow(
      /RATE_LIMIT_CREATE_PER_MINUTE: /,
    );
  });

  it('refuses a REDIS_URL that is not a redis URL, without echoing it', () => {
    expect(() => loadRateLimitConfig({ REDIS_URL: 'http://user:secret@cache:6379' })).toThrow(
      /^(?!.*secret).*REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/s,
    );
  });
});
