import { createServer, type Server } from 'node:net';
import { parseLogs } from '../support/logs';
import { PROJECT, spawnDevEntry, startDevEntry } from './support/dev-entry';

/** The development entry that `npm run start:local` runs: when the sandbox starts, and when it must not. */
describe('development entry (npm run start:local)', () => {
  it('starts the sandbox loudly: one warning naming every provider as fake', async () => {
    const entry = await startDevEntry({
      GITHUB_CLIENT_ID: 'a-real-app',
      GITHUB_INTL_CLIENT_ID: 'x',
    });
    try {
      const banner = parseLogs(entry.output.filter((l) => l.includes('SANDBOX PROVIDERS'))).at(0);
      expect(banner).toMatchObject({ level: 40 });
      expect(banner?.msg).toMatch(/GitHub, GitLab, Gitee, Bitbucket, Gitea .*FAKE.*not the real/);
      // The developer's own provider settings do not mix with the sandbox's.
      expect(banner?.ignoredSettings).toEqual(['GITHUB_CLIENT_ID', 'GITHUB_INTL_CLIENT_ID']);
      const intl = await fetch(`${entry.url}/v1/${PROJECT}/git/auths/github/redirect?tag=intl`);
      expect(((await intl.json()) as { error_code: string }).error_code).toBe('SVCSTG.REPO.0453');
      const url = new URL(
        (
          (await (await fetch(`${entry.url}/v1/${PROJECT}/git/auths/github/redirect`)).json()) as {
            url: string;
          }
        ).url,
      );
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.searchParams.get('redirect_uri')).toBe(`${entry.url}/oauth/callback`);
    } finally {
      await entry.stop();
    }
  });

  it('without SANDBOX_PROVIDERS=true: the service alone, no sandbox, no banner', async () => {
    const entry = await startDevEntry({ SANDBOX_PROVIDERS: 'false' });
    try {
      expect(entry.output.join('\n')).not.toContain('SANDBOX PROVIDERS');
      const res = await fetch(`${entry.url}/v1/${PROJECT}/git/auths/gitlab/redirect`);
      expect(((await res.json()) as { error_code: string }).error_code).toBe('SVCSTG.REPO.0453');
    } finally {
      await entry.stop();
    }
  });

  it('refuses to start with NODE_ENV=production, saying why', async () => {
    const { output, exited } = spawnDevEntry({ NODE_ENV: 'production', PORT: '1' });
    expect(await exited).toBe(1);
    expect(output.join('\n')).toMatch(/SANDBOX_PROVIDERS: .*refused with NODE_ENV=production/);
  });

  it('names SANDBOX_PORT when a sandbox port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as { port: number };
    try {
      const { output, exited } = spawnDevEntry({ SANDBOX_PORT: String(port), PORT: '1' });
      expect(await exited).toBe(1);
      expect(output.join('\n')).toContain(`SANDBOX_PORT: port ${port} (sandbox GitHub) is in use`);
    } finally {
      taken.close();
    }
  });
});
