import { loggableUrl } from './access-log';

describe('loggableUrl', () => {
  it('keeps paths and the tag', () => {
    expect(loggableUrl('/v1/p/git/auths/github/redirect?tag=intl')).toBe(
      '/v1/p/git/auths/github/redirect?tag=intl',
    );
    expect(loggableUrl('/health')).toBe('/health');
  });

  it('hides every other query value, which could be a code, state or token', () => {
    expect(loggableUrl('/callback?code=abc123&state=s3cr3t&tag=x')).toBe(
      '/callback?code=[redacted]&state=[redacted]&tag=x',
    );
  });
});
