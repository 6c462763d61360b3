import { InvalidConfigurationError } from '../src/config/env';
import { isProviderSetting } from './sandbox';
import { loadSandboxConfig } from './sandbox.config';

describe('sandbox configuration', () => {
  it('is off unless asked for, on ports from 3100', () => {
    expect(loadSandboxConfig({})).toEqual({ enabled: false, firstPort: 3100 });
    expect(loadSandboxConfig({ SANDBOX_PROVIDERS: 'true', SANDBOX_PORT: '0' })).toEqual({
      enabled: true,
      firstPort: 0,
    });
  });

  it('refuses NODE_ENV=production, naming the variable', () => {
    const run = () => loadSandboxConfig({ SANDBOX_PROVIDERS: 'true', NODE_ENV: 'production' });
    expect(run).toThrow(InvalidConfigurationError);
    expect(run).toThrow(/SANDBOX_PROVIDERS: .*refused with NODE_ENV=production/);
    expect(loadSandboxConfig({ SANDBOX_PROVIDERS: 'false', NODE_ENV: 'production' }).enabled).toBe(
      false,
    );
  });

  it('rejects what is not a boolean or a port', () => {
    expect(() => loadSandboxConfig({ SANDBOX_PROVIDERS: 'maybe' })).toThrow(/SANDBOX_PROVIDERS/);
    expect(() => loadSandboxConfig({ SANDBOX_PORT: '70000' })).toThrow(/SANDBOX_PORT/);
  });
});

describe('which variables the sandbox sets aside', () => {
  it.each([
    'GITHUB_CLIENT_ID',
    'GITLAB_REDIRECT_URI',
    'GITHUB_INTL_CLIENT_SECRET',
    'GITEA_API_URL',
  ])('%s: a provider setting', (name) => expect(isProviderSetting(name)).toBe(true));

  it.each(['GIT_ALLOWED_HOSTS', 'GITHUB_TOKEN', 'PORT', 'GITHUBX_CLIENT_ID'])(
    '%s: not one',
    (name) => expect(isProviderSetting(name)).toBe(false),
  );
});
