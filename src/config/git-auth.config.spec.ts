import { loadGitAuthConfig } from './git-auth.config';

describe('git-auth configuration: the refresh bound', () => {
  it('defaults to 20 s, or twice PROVIDER_TIMEOUT_MS when that is longer', () => {
    expect(loadGitAuthConfig({}).refreshTimeoutMs).toBe(20_000);
    expect(loadGitAuthConfig({ PROVIDER_TIMEOUT_MS: '15000' }).refreshTimeoutMs).toBe(30_000);
  });

  it('takes an explicit value at or above PROVIDER_TIMEOUT_MS', () => {
    expect(
      loadGitAuthConfig({ PROVIDER_TIMEOUT_MS: '1000', REFRESH_TIMEOUT_MS: '1000' })
        .refreshTimeoutMs,
    ).toBe(1_000);
  });

  it('refuses a refresh bound shorter than the provider timeout, naming the variable', () => {
    expect(() =>
      loadGitAuthConfig({ PROVIDER_TIMEOUT_MS: '10000', REFRESH_TIMEOUT_MS: '5000' }),
    ).toThrow(/REFRESH_TIMEOUT_MS: must not be shorter than PROVIDER_TIMEOUT_MS \(10000\)/);
  });
});
