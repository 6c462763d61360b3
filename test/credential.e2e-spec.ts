import { Client } from 'pg';
import { BackgroundWork } from '../src/common/lifecycle/background-work';
import { PrismaService } from '../src/database/prisma.service';
import { expectError } from './support/errors';
import { eventually } from './support/poll';
import { appOf, KINDS, kindsAccepting, USER, type FakeProviders } from './support/providers';
import { startStack, type Stack } from './support/stack';
import { startTestApp, type TestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
const TIMEOUT_MS = 1500;
/** Below CREDENTIAL_MIN_TTL_SECONDS (300): such a token is refreshed before it is handed out. */
const SHORT_TTL = 60;
/** Provider-independent checks (single-flight refresh, outages, locks) run once, against this provider. */
const ANY = 'gitlab';

interface Credential {
  repo_type: string;
  repo_host: string;
  username: string;
  token: string;
  expires_at: number | null;
}

describe('token lifecycle: credential endpoint, refresh, truthful status, verify', () => {
  let stack: Stack;
  let db: TestDatabase;
  let providers: FakeProviders;
  let t: TestApp;
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack({
      PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      CREDENTIAL_MIN_TTL_SECONDS: '300',
    });
    ({ db, providers, t } = stack);
  });

  afterEach(() => {
    for (const fake of Object.values(providers.fakes)) fake.useUsualTokens();
  });

  afterAll(() => stack?.stop());

  const uniqueName = (prefix: string) => `${prefix}-${++counter}`;
  const credential = (name: string, project = PROJECT) =>
    t.request<Credential>('POST', `/v1/${project}/git/auths/${name}/credential`);
  const verify = (name: string) =>
    t.request<{ authorization: Record<string, unknown> }>(
      'POST',
      `/v1/${PROJECT}/git/auths/${name}/verify`,
    );
  const statusOf = async (name: string) =>
    (
      await t.request<{ authorizations: { name: string; status: number }[] }>(
        'GET',
        `/v1/${PROJECT}/git/auths`,
      )
    ).body.authorizations.find((a) => a.name === name)?.status;

  async function connect(kind: string): Promise<string> {
    const name = uniqueName(kind);
    const redirect = await t.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/${kind}/redirect`,
    );
    const { code, state } = await providers.fakes[kind].authorize(redirect.body.url, USER);
    const res = await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/oauth`, {
      body: { name, code, state },
    });
    expect(res.status).toBe(200);
    return name;
  }

  /** Whether the provider accepts the token now. */
  async function worksAt(kind: string, token: string): Promise<boolean> {
    const response = await fetch(`${providers.fakes[kind].apiUrl}/user`, {
      headers: { authorization: `Bearer ${token}`, 'user-agent': 'git/2.39' },
    });
    await response.arrayBuffer();
    return response.status === 200;
  }

  /** What `git clone https://username:token@host/…` finds at the provider with this credential. */
  async function clones(credential: Credential): Promise<boolean> {
    const basic = Buffer.from(`${credential.username}:${credential.token}`).toString('base64');
    const response = await fetch(
      `${credential.repo_host}/${USER}/demo.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: `Basic ${basic}`, 'user-agent': 'git/2.39' } },
    );
    await response.arrayBuffer();
    return response.status === 200;
  }

  describe('hands out what git clone needs', () => {
    it.each(KINDS)(
      '%s OAuth: a credential git clone accepts, its expiry and Cache-Control: no-store',
      async (kind) => {
        const name = await connect(kind);
        const res = await credential(name);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.body).toEqual({
          repo_type: kind,
          repo_host: providers.fakes[kind].webUrl,
          username: expect.any(String) as string,
          token: expect.any(String) as string,
          expires_at: res.body.expires_at === null ? null : (expect.any(Number) as number),
        });
        if (res.body.expires_at !== null)
          expect(res.body.expires_at).toBeGreaterThan(Date.now() + 300_000);
        expect(await clones(res.body)).toBe(true);
      },
    );

    it.each(kindsAccepting('personal'))(
      '%s personal token: a credential git clone accepts, without expiry',
      async (kind) => {
        const token = providers.fakes[kind].issuePersonalToken(USER);
        const name = uniqueName(`${kind}-pat`);
        await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/personal`, {
          body: { name, token },
        });
        const res = await credential(name);
        expect(res.body).toMatchObject({ token, expires_at: null });
        expect(await clones(res.body)).toBe(true);
      },
    );

    it.each(kindsAccepting('password'))(
      '%s password: a credential git clone accepts',
      async (kind) => {
        providers.fakes[kind].addAppPassword(USER, 'app-pass-cred');
        const name = uniqueName(`${kind}-pw`);
        await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/password`, {
          body: { name, user: USER, password: 'app-pass-cred' },
        });
        const res = await credential(name);
        expect(res.body).toMatchObject({ token: 'app-pass-cred', expires_at: null });
        expect(await clones(res.body)).toBe(true);
      },
    );

    it("answers an unknown name, or another project's, with 404 0450", async () => {
      const name = await connect(ANY);
      expectError(await credential('no-such-auth'), 'AUTHORIZATION_NOT_FOUND');
      expectError(await credential(name, OTHER_PROJECT), 'AUTHORIZATION_NOT_FOUND');
    });
  });

  describe.each(KINDS)('%s: expiring tokens', (kind) => {
    const fake = () => providers.fakes[kind];

    it('refreshes once, stores the rotated pair; the old token lives on only where the provider says', async () => {
      fake().useExpiringTokens(SHORT_TTL);
      const name = await connect(kind);
      const first = await credential(name);
      expect(first.status).toBe(200);
      expect(fake().calls('token').at(-1)?.grantType).toBe('refresh_token');
      const refreshes = fake().refreshCount();

      // The rotated refresh token must have been stored: a second refresh only works with it.
      const second = await credential(name);
      expect(second.status).toBe(200);
      expect(fake().refreshCount()).toBe(refreshes + 1);
      expect(second.body.token).not.toBe(first.body.token);
      expect(await worksAt(kind, second.body.token)).toBe(true);
      expect(await clones(second.body)).toBe(true);
      expect(await worksAt(kind, first.body.token)).toBe(!fake().facts.refreshEndsOldAccessToken);
    });

    it('a dead refresh token marks the authorization expired and answers 0451, without asking again', async () => {
      fake().useExpiringTokens(SHORT_TTL);
      const name = await connect(kind);
      fake().expireRefreshTokens();
      expectError(await credential(name), 'AUTHORIZATION_INVALID', /re-authorize/);
      expect(await statusOf(name)).toBe(1);
      const calls = fake().calls('token').length;
      expectError(await credential(name), 'AUTHORIZATION_INVALID');
      expect(fake().calls('token').length).toBe(calls);
    });

    it('a refusal of our client on refresh (a secret the provider no longer knows) is 502, the authorization stays normal', async () => {
      fake().useExpiringTokens(SHORT_TTL);
      const name = await connect(kind);
      fake().registerApp({ ...appOf(kind), clientSecret: 'rotated-at-the-provider' });
      try {
        expectError(await credential(name), 'PROVIDER_UNAVAILABLE', /check the OAuth application/);
      } finally {
        fake().registerApp(appOf(kind));
      }
      expect(await statusOf(name)).toBe(0);
      expect((await credential(name)).status).toBe(200);
    });
  });

  describe('refresh under load (any provider)', () => {
    it('20 concurrent requests on an expiring authorization: one refresh at the provider, 20 successes', async () => {
      const fake = providers.fakes[ANY];
      fake.useExpiringTokens(SHORT_TTL);
      const name = await connect(ANY);
      fake.useUsualTokens();
      const before = fake.refreshCount();
      const results = await Promise.all(Array.from({ length: 20 }, () => credential(name)));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(fake.refreshCount() - before).toBe(1);
      expect(new Set(results.map((r) => r.body.token)).size).toBe(1);
      expect(await worksAt(ANY, results[0].body.token)).toBe(true);
    });

    it('a verify overlapping a refresh does not record a verdict about the replaced token', async () => {
      const fake = providers.fakes[ANY];
      fake.useExpiringTokens(SHORT_TTL);
      const name = await connect(ANY);
      fake.useUsualTokens();
      // verify's check of the old token reaches the provider only after the refresh below has replaced it.
      fake.failNext('user', { delayMs: 600 });
      const checking = verify(name);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await credential(name)).status).toBe(200);
      const checked = await checking;
      expect(checked.status).toBe(200);
      expect(checked.body.authorization.status).toBe(0);
      expect(await statusOf(name)).toBe(0);
    });

    it('a transient failure (5xx, then timeout) changes no status and answers 502, then 504; the next call works', async () => {
      const fake = providers.fakes[ANY];
      fake.useExpiringTokens(SHORT_TTL);
      const name = await connect(ANY);
      fake.failNext('token', { status: 502 });
      expectError(await credential(name), 'PROVIDER_UNAVAILABLE');
      expect(await statusOf(name)).toBe(0);
      fake.failNext('token', { delayMs: TIMEOUT_MS + 1000 });
      expectError(await credential(name), 'PROVIDER_TIMEOUT');
      expect(await statusOf(name)).toBe(0);
      // The held refresh goes on after the 504 (its answer is stored when it comes); the next call, once it has
      // ended, finds the stored pair.
      await eventually(() => t.app.get(BackgroundWork).size === 0);
      expect((await credential(name)).status).toBe(200);
    });
  });

  describe('verify', () => {
    it.each(kindsAccepting('personal'))(
      '%s: detects a revoked personal token: status 2, then the credential endpoint says re-authorize',
      async (kind) => {
        const fake = providers.fakes[kind];
        const token = fake.issuePersonalToken(USER);
        const name = uniqueName(`${kind}-pat`);
        await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/personal`, {
          body: { name, token },
        });
        const ok = await verify(name);
        expect(ok.status).toBe(200);
        expect(ok.body.authorization).toMatchObject({ name, status: 0, repo_user: USER });

        fake.revokeToken(token);
        const checked = await verify(name);
        expect(checked.status).toBe(200);
        expect(checked.body.authorization).toMatchObject({
          name,
          status: 2,
          token_type: 'personal',
        });
        expect(await statusOf(name)).toBe(2);
        expectError(await credential(name), 'AUTHORIZATION_INVALID', /no longer accepted/);
      },
    );

    it('refreshes an expired OAuth token first and answers the fresh authorization', async () => {
      const fake = providers.fakes[ANY];
      const name = await connect(ANY);
      // The token expires at the provider and in our row (instead of waiting for it).
      fake.expireAccessTokens();
      await t.app.get(PrismaService).authorization.updateMany({
        where: { name },
        data: { tokenExpiresAt: new Date(Date.now() - 1000) },
      });
      const res = await verify(name);
      expect(res.status).toBe(200);
      expect(res.body.authorization).toMatchObject({ status: 0, repo_user: USER });
      expect(fake.calls('token').at(-1)?.grantType).toBe('refresh_token');
    });

    it('answers a provider outage with 502 and leaves the status alone', async () => {
      const name = await connect(ANY);
      providers.fakes[ANY].failNext('user', { status: 500 });
      expectError(await verify(name), 'PROVIDER_UNAVAILABLE');
      expect(await statusOf(name)).toBe(0);
    });
  });

  it('a slow refresh holds one database connection, not one per waiting caller (pool of 3)', async () => {
    const small = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'none',
      // No timeout is tested here: the held refresh must not end in one, however busy the machine.
      PROVIDER_TIMEOUT_MS: '10000',
      DB_POOL_MAX: '3',
      ...providers.env,
    });
    try {
      const gitlab = providers.fakes.gitlab;
      gitlab.useExpiringTokens(SHORT_TTL);
      const name = await connect('gitlab');
      gitlab.useUsualTokens();
      const before = gitlab.refreshCount();
      gitlab.failNext('token', { delayMs: 1_500 });
      const tokenCalls = gitlab.calls('token').length;
      const results = Promise.all(
        Array.from({ length: 20 }, () =>
          small.request<Credential>('POST', `/v1/${PROJECT}/git/auths/${name}/credential`),
        ),
      );
      await eventually(() => gitlab.calls('token').length > tokenCalls);
      // While GitLab is slow, no connection of ours sits waiting on the row lock (callers share one refresh)…
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      try {
        const waiting = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        expect(waiting.rows[0].n).toBe(0);
      } finally {
        await admin.end();
      }
      // …and other requests still get connections.
      expect((await small.request('GET', `/v1/${OTHER_PROJECT}/git/auths`)).status).toBe(200);
      expect((await results).map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(gitlab.refreshCount() - before).toBe(1);
    } finally {
      await small.close();
    }
  });
});
