import { Client } from 'pg';
import type { FakeBitbucket, FakeGitHub, FakeKind } from './fakes/fake-provider';
import { expectError } from './support/errors';
import { USER, type FakeProviders } from './support/providers';
import { startStack, type Stack } from './support/stack';
import { startTestApp, type TestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
const TIMEOUT_MS = 1500;
/** Below CREDENTIAL_MIN_TTL_SECONDS (300): such a token is refreshed before it is handed out. */
const SHORT_TTL = 60;

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
    providers.fakes.gitlab.accessTokenTtlSeconds = 7200;
    providers.fakes.bitbucket.accessTokenTtlSeconds = 7200;
    providers.fakes.gitee.accessTokenTtlSeconds = 86400;
    const github = providers.fakes.github as FakeGitHub;
    github.appMode = false;
    github.accessTokenTtlSeconds = 28800;
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

  async function connect(kind: FakeKind): Promise<string> {
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

  /** Whether the provider accepts the token now, as git would find out. */
  async function worksAt(kind: FakeKind, token: string): Promise<boolean> {
    const response = await fetch(`${providers.fakes[kind].apiUrl}/user`, {
      headers: { authorization: `Bearer ${token}`, 'user-agent': 'git/2.39' },
    });
    await response.arrayBuffer();
    return response.status === 200;
  }

  describe('hands out what git clone needs', () => {
    it.each([
      ['gitlab', 'oauth2'],
      ['gitee', 'oauth2'],
      ['bitbucket', 'x-token-auth'],
      ['github', 'x-access-token'],
    ] as const)(
      '%s OAuth: username %s, a working token, its expiry and Cache-Control: no-store',
      async (kind, username) => {
        const name = await connect(kind);
        const res = await credential(name);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.body).toEqual({
          repo_type: kind,
          repo_host: providers.fakes[kind].webUrl,
          username,
          token: expect.any(String) as string,
          expires_at: kind === 'github' ? null : (expect.any(Number) as number),
        });
        if (res.body.expires_at !== null)
          expect(res.body.expires_at).toBeGreaterThan(Date.now() + 300_000);
        expect(await worksAt(kind, res.body.token)).toBe(true);
      },
    );

    it('personal tokens and Bitbucket passwords: the login where the provider needs it', async () => {
      const giteeToken = providers.fakes.gitee.issuePersonalToken(USER);
      const gitee = uniqueName('gitee-pat');
      await t.request('POST', `/v1/${PROJECT}/git/auths/gitee/personal`, {
        body: { name: gitee, token: giteeToken },
      });
      expect((await credential(gitee)).body).toMatchObject({
        username: USER,
        token: giteeToken,
        expires_at: null,
      });

      const bitbucket = providers.fakes.bitbucket as FakeBitbucket;
      bitbucket.addAppPassword(USER, 'app-pass-cred');
      const bb = uniqueName('bb-pw');
      await t.request('POST', `/v1/${PROJECT}/git/auths/bitbucket/password`, {
        body: { name: bb, user: USER, password: 'app-pass-cred' },
      });
      expect((await credential(bb)).body).toMatchObject({ username: USER, token: 'app-pass-cred' });
    });

    it("answers an unknown name, or another project's, with 404 0450", async () => {
      const name = await connect('gitee');
      expectError(await credential('no-such-auth'), 'AUTHORIZATION_NOT_FOUND');
      expectError(await credential(name, OTHER_PROJECT), 'AUTHORIZATION_NOT_FOUND');
    });
  });

  describe('refreshes tokens about to expire', () => {
    it.each(['gitlab', 'bitbucket', 'gitee'] as const)(
      '%s: refreshes once, stores the rotated pair, old token dead',
      async (kind) => {
        const fake = providers.fakes[kind];
        fake.accessTokenTtlSeconds = SHORT_TTL;
        const name = await connect(kind);
        const first = await credential(name);
        expect(first.status).toBe(200);
        expect(fake.calls('token').at(-1)?.grantType).toBe('refresh_token');
        const refreshes = fake.refreshCount();

        // The rotated refresh token must have been stored: a second refresh only works with it.
        const second = await credential(name);
        expect(second.status).toBe(200);
        expect(fake.refreshCount()).toBe(refreshes + 1);
        expect(second.body.token).not.toBe(first.body.token);
        expect(await worksAt(kind, second.body.token)).toBe(true);
        // GitLab invalidates the old access token with the refresh (Bitbucket and Gitee let it run out).
        if (kind === 'gitlab') expect(await worksAt(kind, first.body.token)).toBe(false);
      },
    );

    it('GitHub App user tokens (ghu_/ghr_): refreshed with rotation', async () => {
      const github = providers.fakes.github as FakeGitHub;
      github.appMode = true;
      github.accessTokenTtlSeconds = SHORT_TTL;
      const name = await connect('github');
      const res = await credential(name);
      expect(res.status).toBe(200);
      expect(res.body.token).toMatch(/^ghu_/);
      expect(github.calls('token').at(-1)?.grantType).toBe('refresh_token');
      expect(await worksAt('github', res.body.token)).toBe(true);
    });

    it('20 concurrent requests on an expiring GitLab authorization: one refresh at the provider, 20 successes', async () => {
      const gitlab = providers.fakes.gitlab;
      gitlab.accessTokenTtlSeconds = SHORT_TTL;
      const name = await connect('gitlab');
      gitlab.accessTokenTtlSeconds = 7200;
      const before = gitlab.refreshCount();
      const results = await Promise.all(Array.from({ length: 20 }, () => credential(name)));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(gitlab.refreshCount() - before).toBe(1);
      expect(new Set(results.map((r) => r.body.token)).size).toBe(1);
      expect(await worksAt('gitlab', results[0].body.token)).toBe(true);
    });
  });

  describe('refresh under load', () => {
    it('a misconfigured client (invalid_client) is a provider failure: 502, the authorization stays normal', async () => {
      const gitlab = providers.fakes.gitlab;
      gitlab.accessTokenTtlSeconds = SHORT_TTL;
      const name = await connect('gitlab');
      gitlab.failNext('token', {
        status: 401,
        body: JSON.stringify({
          error: 'invalid_client',
          error_description: 'Client authentication failed',
        }),
        headers: { 'content-type': 'application/json' },
      });
      expectError(await credential(name), 'PROVIDER_UNAVAILABLE', /invalid_client/);
      expect(await statusOf(name)).toBe(0);
      expect((await credential(name)).status).toBe(200);
    });

    it('a verify overlapping a refresh does not record a verdict about the replaced token', async () => {
      const gitlab = providers.fakes.gitlab;
      gitlab.accessTokenTtlSeconds = SHORT_TTL;
      const name = await connect('gitlab');
      gitlab.accessTokenTtlSeconds = 7200;
      // verify's check of the old token reaches GitLab only after the refresh below has invalidated it.
      gitlab.failNext('user', { delayMs: 600 });
      const checking = verify(name);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await credential(name)).status).toBe(200);
      const checked = await checking;
      expect(checked.status).toBe(200);
      expect(checked.body.authorization.status).toBe(0);
      expect(await statusOf(name)).toBe(0);
    });
  });

  describe('truthful status', () => {
    it.each([
      ['gitlab', 'invalid_grant'],
      ['github', 'bad_refresh_token'],
    ] as const)(
      '%s: a dead refresh token (%s) marks the authorization expired and answers 0451',
      async (kind, _providerError) => {
        const fake = providers.fakes[kind];
        if (kind === 'github') (fake as FakeGitHub).appMode = true;
        fake.accessTokenTtlSeconds = SHORT_TTL;
        const name = await connect(kind);
        fake.expireRefreshTokens();
        expectError(await credential(name), 'AUTHORIZATION_INVALID', /re-authorize/);
        expect(await statusOf(name)).toBe(1);
        const calls = fake.calls('token').length;
        expectError(await credential(name), 'AUTHORIZATION_INVALID');
        expect(fake.calls('token').length).toBe(calls);
      },
    );

    it('a transient failure (5xx, then timeout) changes no status and answers 502, then 504; the next call works', async () => {
      const gitlab = providers.fakes.gitlab;
      gitlab.accessTokenTtlSeconds = SHORT_TTL;
      const name = await connect('gitlab');
      gitlab.failNext('token', { status: 502 });
      expectError(await credential(name), 'PROVIDER_UNAVAILABLE');
      expect(await statusOf(name)).toBe(0);
      gitlab.failNext('token', { delayMs: TIMEOUT_MS + 1000 });
      expectError(await credential(name), 'PROVIDER_TIMEOUT');
      expect(await statusOf(name)).toBe(0);
      expect((await credential(name)).status).toBe(200);
    });

    it('verify detects a revoked personal token: status 2, then the credential endpoint says re-authorize', async () => {
      const github = providers.fakes.github;
      const token = github.issuePersonalToken(USER);
      const name = uniqueName('pat');
      await t.request('POST', `/v1/${PROJECT}/git/auths/github/personal`, {
        body: { name, token },
      });
      const ok = await verify(name);
      expect(ok.status).toBe(200);
      expect(ok.body.authorization).toMatchObject({ name, status: 0, repo_user: USER });

      github.revokeToken(token);
      const checked = await verify(name);
      expect(checked.status).toBe(200);
      expect(checked.body.authorization).toMatchObject({ name, status: 2, token_type: 'personal' });
      expect(await statusOf(name)).toBe(2);
      expectError(await credential(name), 'AUTHORIZATION_INVALID', /no longer accepted/);
    });

    it('verify refreshes an expired OAuth token and answers the fresh authorization', async () => {
      const bitbucket = providers.fakes.bitbucket;
      bitbucket.accessTokenTtlSeconds = 1;
      const name = await connect('bitbucket');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      bitbucket.accessTokenTtlSeconds = 7200;
      const res = await verify(name);
      expect(res.status).toBe(200);
      expect(res.body.authorization).toMatchObject({ status: 0, repo_user: USER });
      expect(bitbucket.calls('token').at(-1)?.grantType).toBe('refresh_token');
    });

    it('verify answers a provider outage with 502 and leaves the status alone', async () => {
      const gitee = providers.fakes.gitee;
      const name = await connect('gitee');
      gitee.failNext('user', { status: 500 });
      expectError(await verify(name), 'PROVIDER_UNAVAILABLE');
      expect(await statusOf(name)).toBe(0);
    });
  });

  it('a slow refresh holds one database connection, not one per waiting caller (pool of 3)', async () => {
    const small = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'none',
      PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      DB_POOL_MAX: '3',
      ...providers.env,
    });
    try {
      const gitlab = providers.fakes.gitlab;
      gitlab.accessTokenTtlSeconds = SHORT_TTL;
      const name = await connect('gitlab');
      gitlab.accessTokenTtlSeconds = 7200;
      const before = gitlab.refreshCount();
      gitlab.failNext('token', { delayMs: 800 });
      const results = Promise.all(
        Array.from({ length: 20 }, () =>
          small.request<Credential>('POST', `/v1/${PROJECT}/git/auths/${name}/credential`),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
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
