import { thrown } from '../../../test/support/thrown';
import type { AppError } from '../../common/errors/app-error';
import { parseCloneUrl } from './clone-url';

const GITHUB = 'https://github.com';

describe('parseCloneUrl', () => {
  it.each([
    ['https with .git', 'https://github.com/octocat/hello.git'],
    ['https without .git, trailing slash', 'https://github.com/octocat/hello/'],
    ['https with user info (Bitbucket)', 'https://jdoe@github.com/octocat/hello.git'],
    ['http', 'http://github.com/octocat/hello.git'],
    ['ssh://', 'ssh://git@github.com/octocat/hello.git'],
    ['ssh:// with a port', 'ssh://git@github.com:2222/octocat/hello.git'],
    ['scp-like', 'git@github.com:octocat/hello.git'],
    ['another host case', 'https://GitHub.com/octocat/hello.git'],
  ])('%s', (_case, url) => {
    expect(parseCloneUrl(url, GITHUB)).toEqual({ namespace: 'octocat', project: 'hello' });
  });

  it('all segments but the last are the namespace (GitLab subgroups)', () => {
    expect(parseCloneUrl('https://gitlab.com/acme/platform/api.git', 'https://gitlab.com')).toEqual(
      {
        namespace: 'acme/platform',
        project: 'api',
      },
    );
  });

  it('skips the path a self-hosted server lives under', () => {
    const web = 'https://git.example.com/gitlab';
    expect(parseCloneUrl('https://git.example.com/gitlab/acme/api.git', web)).toEqual({
      namespace: 'acme',
      project: 'api',
    });
    expect(parseCloneUrl('git@git.example.com:acme/api.git', web)).toEqual({
      namespace: 'acme',
      project: 'api',
    });
  });

  it.each([
    ['another host', 'https://gitlab.com/octocat/hello.git'],
    ['one segment', 'https://github.com/hello.git'],
    ['a ".." segment', 'https://github.com/octocat/../hello.git'],
    ['a query', 'https://github.com/octocat/hello.git?ref=main'],
    ['another scheme', 'ftp://github.com/octocat/hello.git'],
    ['no URL at all', 'octocat/hello'],
    ['a self-hosted URL outside the server path', 'https://git.example.com/other/acme/api.git'],
    ['an over-long URL', `https://github.com/octocat/${'a'.repeat(3000)}.git`],
  ])('refuses %s with 0452', (_case, url) => {
    const web = url.includes('git.example.com') ? 'https://git.example.com/gitlab' : GITHUB;
    expect((thrown(() => parseCloneUrl(url, web)) as AppError).key).toBe('CLONE_URL_INVALID');
  });

  it('a missing clone_url is 0400', () => {
    expect((thrown(() => parseCloneUrl(undefined, GITHUB)) as AppError).key).toBe(
      'INVALID_PARAMETER',
    );
  });
});
