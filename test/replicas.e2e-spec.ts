import { expectError } from './support/errors';
import { startFakeProviders, USER, type FakeProviders } from './support/providers';
import { TEST_REDIS_URL, testRedisPrefix } from './support/redis';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { errorLines, parseLogs } from './support/logs';

const PROJECT = '0123456789abcdef0123456789abcdef';
const LIMITED_PROJECT = 'abababababababababababababababab';
const LIMIT = 6;

/** Three replicas of the service on one database and one Redis, in one process. */
describe('replicas: one database, one Redis, three instances', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  let redis: { prefix: string; cleanup: () => Promise<void> };
  const replicas: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    providers = await startFakeProviders();
    redis = await testRedisPrefix();
    for (let i = 0; i < 3; i++) {
      replicas.push(
        await startTestApp({
          DATABASE_URL: db.url,
          AUTH_MODE: 'none',
          REDIS_URL: TEST_REDIS_URL,
          REDIS_KEY_PREFIX: redis.prefix,
          RATE_LIMIT_CREATE_PER_MINUTE: String(LIMIT),
          ...providers.env,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const r of replicas) await r.close();
    await providers?.stop();
    await db?.drop();
    await redis?.cleanup();
  });

  const base = (project = PROJECT) => `/v1/${project}/git/auths`;

  async function connectGitLab(name: string, issuedBy: TestApp, completedBy: TestApp) {
    const redirect = await issuedBy.request<{ url: string }>('GET', `${base()}/gitlab/redirect`);
    const { code, state } = await providers.fakes.gitlab.authorize(redirect.body.url, USER);
    return completedBy.request('POST', `${base()}/gitlab/oauth`, { body: { name, code, state } });
  }

  it('an OAuth state issued by one replica completes on another; a third lists the result', async () => {
    const [a, b, c] = replicas;
    expect((await connectGitLab('cross-replica', a, b)).status).toBe(200);
    const list = await c.request<{ authorizations: { name: string }[] }>('GET', base());
    expect(list.body.authorizations.map((x) => x.name)).toContain('cross-replica');
  });

  it('20 concurrent credential calls over the three replicas on an expired authorization: one refresh', async () => {
    const gitlab = providers.fakes.gitlab;
    gitlab.accessTokenTtlSeconds = 60; // below CREDENTIAL_MIN_TTL_SECONDS: refreshed on the next use
    expect((await connectGitLab('shared-refresh', replicas[0], replicas[0])).status).toBe(200);
    gitlab.accessTokenTtlSeconds = 7200;
    const before = gitlab.refreshCount();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        replicas[i % 3].request<{ token: string }>('POST', `${base()}/shared-refresh/credential`),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(gitlab.refreshCount() - before).toBe(1);
    expect(new Set(results.map((r) => r.body.token)).size).toBe(1);
  });

  it(`the creation rate limit (${LIMIT}/min per project) holds across the replicas`, async () => {
    const answers = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) =>
        replicas[i % 3].request('GET', `${base(LIMITED_PROJECT)}/github/redirect`),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(LIMIT);
    const limited = answers.filter((r) => r.status !== 200);
    expect(limited).toHaveLength(2 * LIMIT);
    for (const r of limited) expectError(r, 'RATE_LIMITED');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('replicas: Redis unreachable', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Nothing listens on port 1: every connection is refused.
    t = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'none',
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_CREATE_PER_MINUTE: '3',
      GITHUB_CLIENT_ID: 'client',
      GITHUB_CLIENT_SECRET: 'secret-0123456789',
      GITHUB_REDIRECT_URI: 'https://console.example.com/callback',
    });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it("counts in the replica's memory meanwhile: requests neither fail nor go unlimited; one warning", async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.request('GET', `${base()}/github/redirect`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const lines = parseLogs(t.logs);
    expect(lines.filter((l) => l.msg.startsWith('Redis unavailable'))).toHaveLength(1);
    expect(errorLines(t.logs)).toEqual([]);
  });

  const base = () => `/v1/${PROJECT}/git/auths`;
});
