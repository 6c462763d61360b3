import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDERS } from '../src/git-auth/providers/registered-providers';
import { createFake, type FakeProvider } from './fakes/fake-provider';
import { expectError } from './support/errors';
import { startFakeProviders, USER, type FakeProviders } from './support/providers';
import {
  authorize,
  PROJECT,
  projectIdOf,
  REPO,
  seedRepositories,
  type Seeded,
} from './support/repositories';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { selfSignedCertificate } from './support/tls';

/** Providers with self-hosted servers (GitHub Enterprise, self-managed GitLab, Gitee, Gitea). */
const SELF_HOSTED = PROVIDERS.filter((p) => p.selfHostedApiPath !== undefined).map(
  (p) => p.repoType,
);

/**
 * Authorizations of self-hosted servers (https, their own CA, on GIT_ALLOWED_HOSTS): repository operations go
 * to that server, and stop the moment it is no longer allowed — the stored host is re-checked on every call.
 */
describe('repository operations on self-hosted servers', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  let caDir: string;
  const servers: Record<string, { fake: FakeProvider; host: string; seeded: Seeded }> = {};
  let t: TestApp;
  /** The same, but with none of the servers on GIT_ALLOWED_HOSTS any more. */
  let narrowed: TestApp;
  /** Allowed hosts, but private addresses refused (the default): localhost resolves to loopback. */
  let strict: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    providers = await startFakeProviders();
    const tls = await selfSignedCertificate();
    caDir = mkdtempSync(join(tmpdir(), 'git-auth-ca-'));
    writeFileSync(join(caDir, 'ca.pem'), tls.cert);
    for (const kind of SELF_HOSTED) {
      const fake = createFake(kind);
      await fake.start({ tls });
      fake.addUser(USER);
      const host = `https://localhost:${new URL(fake.baseUrl).port}`;
      servers[kind] = { fake, host, seeded: seedRepositories(fake) };
    }
    const env = {
      DATABASE_URL: db.url,
      AUTH_MODE: 'none',
      GIT_CA_FILE: join(caDir, 'ca.pem'),
      ...providers.env,
    };
    const allowed = Object.values(servers)
      .map((s) => new URL(s.host).host)
      .join(',');
    t = await startTestApp({
      ...env,
      GIT_ALLOWED_HOSTS: allowed,
      GIT_ALLOW_PRIVATE_ADDRESSES: 'true',
    });
    narrowed = await startTestApp({
      ...env,
      GIT_ALLOWED_HOSTS: 'git.example.com',
      GIT_ALLOW_PRIVATE_ADDRESSES: 'true',
    });
    strict = await startTestApp({ ...env, GIT_ALLOWED_HOSTS: allowed });
  });

  afterAll(async () => {
    await t?.close();
    await narrowed?.close();
    await strict?.close();
    await Promise.all(Object.values(servers).map((s) => s.fake.stop()));
    await providers?.stop();
    await db?.drop();
    rmSync(caDir, { recursive: true, force: true });
  });

  describe.each(SELF_HOSTED)('%s', (kind) => {
    const server = () => servers[kind];
    const name = `${kind}-self-hosted`;
    const get = <T>(app: TestApp, path: string) =>
      app.request<T>('GET', `/v1/${PROJECT}/git/${path}`, { headers: { 'x-repo-auth': name } });
    const branches = (app: TestApp) =>
      get<{ branches: string[] }>(
        app,
        `repos/${USER}/${projectIdOf(server().fake, server().seeded.demo)}/branches`,
      );

    beforeAll(async () => {
      await authorize(t, server().fake, 'personal', name, { host: server().host });
    });

    it('lists and reads through the self-hosted server', async () => {
      const before = server().fake.calls().length;
      const namespaces = await get<{ namespaces: { id: string }[] }>(t, 'repos/namespaces');
      expect(namespaces.body.namespaces[0].id).toBe(USER);
      expect((await branches(t)).body.branches).toContain('main');
      const detail = await get<{ project_id: string }>(
        t,
        `repos/project-info?clone_url=${encodeURIComponent(`${server().host}/${USER}/${REPO}.git`)}`,
      );
      expect(detail.body.project_id).toBe(projectIdOf(server().fake, server().seeded.demo));
      expect(server().fake.calls().length).toBeGreaterThan(before);
      expect(providers.fakes[kind].calls('branches')).toHaveLength(0);
    });

    it('a host taken off GIT_ALLOWED_HOSTS gets no more calls: 0454', async () => {
      const before = server().fake.calls().length;
      expectError(await branches(narrowed), 'HOST_NOT_ALLOWED', /GIT_ALLOWED_HOSTS/);
      expect(server().fake.calls().length).toBe(before);
    });

    it('a host resolving to a private address, when those are not allowed: 0454 at connect', async () => {
      const before = server().fake.calls().length;
      expectError(await branches(strict), 'HOST_NOT_ALLOWED', /non-public address/);
      expect(server().fake.calls().length).toBe(before);
    });
  });
});
