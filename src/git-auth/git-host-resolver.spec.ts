import { loadGitAuthConfig } from '../config/git-auth.config';
import { thrown } from '../../test/support/thrown';
import { GitHostResolver } from './git-host-resolver';
import { OAuthApps } from './oauth-apps';
import { BitbucketStrategy } from './providers/bitbucket.strategy';
import { GitLabStrategy } from './providers/gitlab.strategy';
import { loadProvidersConfig } from './providers/providers.config';

const gitlab = GitLabStrategy.descriptor;

function resolver(env: Record<string, string>): GitHostResolver {
  return new GitHostResolver(new OAuthApps(loadProvidersConfig(env)), loadGitAuthConfig(env));
}

const code = (fn: () => unknown): string | undefined => (thrown(fn) as { code?: string }).code;

describe('GitHostResolver', () => {
  const r = resolver({
    GIT_ALLOWED_HOSTS: 'gitlab.example.com, git.corp.example:8443, *.dev.example',
  });

  it('uses the configured server when host is omitted or is its web URL', () => {
    const configured = {
      webUrl: 'https://gitlab.com',
      apiUrl: 'https://gitlab.com/api/v4',
      guarded: false,
    };
    expect(r.resolve(gitlab, undefined)).toEqual(configured);
    expect(r.resolve(gitlab, 'https://GitLab.com/')).toEqual(configured);
  });

  it('derives the API of an allowed self-hosted server and contacts it guarded', () => {
    expect(r.resolve(gitlab, 'https://gitlab.example.com/')).toEqual({
      webUrl: 'https://gitlab.example.com',
      apiUrl: 'https://gitlab.example.com/api/v4',
      guarded: true,
    });
    expect(r.resolve(gitlab, 'https://example.com.dev.example/gitlab').apiUrl).toBe(
      'https://example.com.dev.example/gitlab/api/v4',
    );
    expect(r.resolve(gitlab, 'https://git.corp.example:8443').webUrl).toBe(
      'https://git.corp.example:8443',
    );
  });

  it.each([
    ['a host not on the list', 'https://gitlab.evil.example'],
    ['a suffix trick', 'https://evilgitlab.example.com'],
    ['the wrong port', 'https://git.corp.example:443'],
    ['plain http', 'http://gitlab.example.com'],
    ['the bare wildcard domain', 'https://dev.example'],
  ])('refuses %s with 0454', (_case, host) => {
    expect(code(() => r.resolve(gitlab, host))).toBe('SVCSTG.REPO.0454');
  });

  it('refuses private IP literals unless private addresses are allowed', () => {
    const env = { GIT_ALLOWED_HOSTS: '10.0.0.5' };
    expect(code(() => resolver(env).resolve(gitlab, 'https://10.0.0.5'))).toBe('SVCSTG.REPO.0454');
    expect(
      resolver({ ...env, GIT_ALLOW_PRIVATE_ADDRESSES: 'true' }).resolve(gitlab, 'https://10.0.0.5')
        .guarded,
    ).toBe(true);
  });

  it.each([
    'gitlab.example.com',
    'https://u:p@gitlab.example.com',
    'https://gitlab.example.com/#x',
    'ssh://gitlab.example.com',
  ])('answers the malformed host %s with 0400', (host) => {
    expect(code(() => r.resolve(gitlab, host))).toBe('SVCSTG.REPO.0400');
  });

  it('refuses a host for a provider without self-hosted servers', () => {
    const r2 = resolver({ GIT_ALLOWED_HOSTS: 'bitbucket.example.com' });
    expect(
      code(() => r2.resolve(BitbucketStrategy.descriptor, 'https://bitbucket.example.com')),
    ).toBe('SVCSTG.REPO.0454');
  });

  it('trusts a stored authorization only while its API is a configured one', () => {
    expect(
      r.targetOf({
        repoType: 'gitlab',
        repoHost: 'https://gitlab.com',
        apiUrl: 'https://gitlab.com/api/v4',
      }).guarded,
    ).toBe(false);
    expect(
      r.targetOf({
        repoType: 'gitlab',
        repoHost: 'https://gitlab.example.com',
        apiUrl: 'https://gitlab.example.com/api/v4',
      }).guarded,
    ).toBe(true);
  });

  it('stops trusting a stored self-hosted server once it leaves the allow-list', () => {
    const stored = {
      repoType: 'gitlab' as const,
      repoHost: 'https://old.example',
      apiUrl: 'https://old.example/api/v4',
    };
    expect(resolver({ GIT_ALLOWED_HOSTS: 'old.example' }).targetOf(stored).guarded).toBe(true);
    expect(code(() => resolver({ GIT_ALLOWED_HOSTS: 'new.example' }).targetOf(stored))).toBe(
      'SVCSTG.REPO.0454',
    );
  });
});
