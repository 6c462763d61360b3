import { loadRateLimitConfig } from './rate-limit.config';

describe('loadRateLimitConfig', () => {
  it('allows 30 creations per project and minute by default', () => {
    expect(loadRateLimitConfig({})).toEqual({ createPerMinute: 30 });
  });

  it('reads RATE_LIMIT_CREATE_PER_MINUTE', () => {
    expect(loadRateLimitConfig({ RATE_LIMIT_CREATE_PER_MINUTE: '5' })).toEqual({
      createPerMinute: 5,
    });
  });

  it.each(['0', '-1', 'ten', '1.5'])('names the variable for %j', (value) => {
    expect(() => loadRateLimitConfig({ RATE_LIMIT_CREATE_PER_MINUTE: value })).toThrow(
      /RATE_LIMIT_CREATE_PER_MINUTE: /,
    );
  });
});
