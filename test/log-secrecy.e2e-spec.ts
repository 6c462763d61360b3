import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundWork } from '../src/common/lifecycle/background-work';
import { signJwt } from './support/jwt';
import { eventually } from './support/poll';
import {
  KINDS,
  USER,
  appOf,
  kindsAccepting,
  startFakeProviders,
  type FakeProviders,
} from './support/providers';
import { sdkSign, wirePath } from './support/signing';
import { startTestApp, type TestApp, type TestResponse } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const AK = 'LOGTESTAK0123456789';
const SK = 'log-test-secret-key-that-must-never-be-logged-42';
const JWT_SECRET = 'log-test-jwt-secret-of-at-least-32-bytes!!';

/**
 * Runs every flow with authenticated callers at the most verbose log level, then searches everything the
 * service logged for every secret it saw: none may appear.
 */
describe('logs contain no secrets', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  let t: TestApp;
  let dir: string;
  const seen: string[] = [SK, JWT_SECRET];

  beforeAll(async () => {
    db = await createTestDatabase();
    providers = await startFakeProviders();
    dir = mkdtempSync(join(tmpdir(), 'git-auth-keys-'));
    writeFileSync(
      join(dir, 'keys.json'),
      JSON.stringify([{ ak: AK, sk: SK, project_ids: [PROJECT] }]),
    );
    t = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'iam',
      AUTH_ACCESS_KEYS_FILE: join(dir, 'keys.json'),
      AUTH_JWT_SECRET: JWT_SECRET,
      LOG_LEVEL: 'trace',
      PROVIDER_TIMEOUT_MS: '1500',
      ...providers.env,
    });
  });

  afterAll(async () => {
    await t?.close();
    await providers?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** AK/SK-signed, as the Huawei Cloud SDKs call. */
  function call<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string>,
    extraHeaders?: Record<string, string>,
  ): Promise<TestResponse<T>> {
    const headers = sdkSign({
      endpoint: t.baseUrl,
      method,
      path,
      query,
      body,
      ak: AK,
      sk: SK,
      projectId: PROJECT,
      headers: extraHeaders,
    });
    seen.push(headers.Authorization ?? headers.authorization ?? '');
    return t.request<T>(method, wirePath(path, query), {
      rawBody: body === undefined ? undefined : JSON.stringify(body),
      headers,
    });
  }

  async function oauth(kind: string, name: string): Promise<void> {
    const redirect = await call<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/${kind}/redirect`,
    );
    const { code, state } = await providers.fakes[kind].authorize(redirect.body.url, USER);
    seen.push(code, state);
    expect(
      (await call('POST', `/v1/${PROJECT}/git/auths/${kind}/oauth`, { name, code, state })).status,
    ).toBe(200);
  }

  it('after OAuth, personal, password, credential, refresh, failures and delete flows', async () => {
    for (const kind of KINDS) await oauth(kind, `log-${kind}`);

    // A refresh (and its rotated tokens) and the credential endpoint, which returns a secret.
    providers.fakes.gitlab.useExpiringTokens(60);
    await oauth('gitlab', 'log-gitlab-refresh');
    const credential = await call<{ token: string }>(
      'POST',
      `/v1/${PROJECT}/git/auths/log-gitlab-refresh/credential`,
    );
    expect(credential.status).toBe(200);
    seen.push(credential.body.token);

    // Failures: a rejected code, a forged state, a rejected token, a provider outage.
    const redirect = await call<{ url: string }>('GET', `/v1/${PROJECT}/git/auths/github/redirect`);
    const { state } = await providers.fakes.github.authorize(redirect.body.url, USER);
    seen.push(state, 'rejected-code-0123456789');
    expect(
      (
        await call('POST', `/v1/${PROJECT}/git/auths/github/oauth`, {
          name: 'log-bad',
          code: 'rejected-code-0123456789',
          state,
        })
      ).status,
    ).toBe(400);
    const pat = providers.fakes.github.issuePersonalToken(USER);
    providers.fakes.github.failNext('user', { status: 502 });
    expect(
      (
        await call('POST', `/v1/${PROJECT}/git/auths/github/personal`, {
          name: 'log-pat',
          token: pat,
        })
      ).status,
    ).toBe(502);
    expect(
      (
        await call('POST', `/v1/${PROJECT}/git/auths/github/personal`, {
          name: 'log-pat',
          token: pat,
        })
      ).status,
    ).toBe(200);
    seen.push(pat);
    for (const kind of kindsAccepting('personal')) {
      const good = providers.fakes[kind].issuePersonalToken(USER);
      const bad = `${kind}-not-valid-token-1234`;
      expect(
        (
          await call('POST', `/v1/${PROJECT}/git/auths/${kind}/personal`, {
            name: `log-pat-${kind}`,
            token: good,
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call('POST', `/v1/${PROJECT}/git/auths/${kind}/personal`, {
            name: `log-bad-${kind}`,
            token: bad,
          })
        ).status,
      ).toBe(400);
      // The credential endpoint hands the personal token out, and verify sends it to the provider.
      expect((await call('POST', `/v1/${PROJECT}/git/auths/log-pat-${kind}/verify`)).status).toBe(
        200,
      );
      seen.push(good, bad);
    }

    for (const kind of kindsAccepting('password')) {
      const password = `${kind}-app-password-secret-9`;
      const wrong = `${kind}-wrong-password-secret-7`;
      providers.fakes[kind].addAppPassword(USER, password);
      expect(
        (
          await call('POST', `/v1/${PROJECT}/git/auths/${kind}/password`, {
            name: `log-pw-${kind}`,
            user: USER,
            password,
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call('POST', `/v1/${PROJECT}/git/auths/${kind}/password`, {
            name: `log-pw2-${kind}`,
            user: USER,
            password: wrong,
          })
        ).status,
      ).toBe(400);
      seen.push(password, wrong);
    }

    // An X-Auth-Token caller, and refused callers.
    const jwt = await signJwt(
      { project_id: PROJECT },
      { alg: 'HS256', key: new TextEncoder().encode(JWT_SECRET) },
    );
    seen.push(jwt);
    expect(
      (await t.request('GET', `/v1/${PROJECT}/git/auths`, { headers: { 'x-auth-token': jwt } }))
        .status,
    ).toBe(200);
    expect(
      (
        await t.request('GET', `/v1/${PROJECT}/git/auths`, {
          headers: { 'x-auth-token': `${jwt}x` },
        })
      ).status,
    ).toBe(401);

    // Repository operations with every kind of authorization (Gitee takes the token in the query string), a
    // provider refusal and a provider outage among them.
    const repoAuths = [
      ...KINDS.map((kind) => `log-${kind}`),
      ...kindsAccepting('personal').map((kind) => `log-pat-${kind}`),
      ...kindsAccepting('password').map((kind) => `log-pw-${kind}`),
    ];
    for (const name of repoAuths) {
      const headers = { 'X-Repo-Auth': name };
      expect(
        (await call('GET', `/v1/${PROJECT}/git/repos/namespaces`, undefined, {}, headers)).status,
      ).toBe(200);
      const missing = await call(
        'GET',
        `/v1/${PROJECT}/git/repos/${USER}/no-such-repo/branches`,
        undefined,
        {},
        headers,
      );
      expect(missing.status).toBe(404);
    }
    providers.fakes.gitee.failNext('branches', { status: 500 });
    expect(
      (
        await call(
          'GET',
          `/v1/${PROJECT}/git/repos/${USER}/any/branches`,
          undefined,
          {},
          { 'X-Repo-Auth': 'log-gitee' },
        )
      ).status,
    ).toBe(502);

    // Deletes, with upstream revocation where the provider has it.
    for (const kind of KINDS)
      expect((await call('DELETE', `/v1/${PROJECT}/git/auths/log-${kind}`)).status).toBe(204);
    // The upstream revocations run in the background: their log lines are checked too.
    await eventually(() => t.app.get(BackgroundWork).size === 0);

    for (const kind of KINDS)
      seen.push(...providers.fakes[kind].issuedSecrets(), appOf(kind).clientSecret);
    const secrets = [...new Set(seen.filter((s) => s.length >= 8))];
    expect(secrets.length).toBeGreaterThan(30);
    const logs = t.logs.join('\n');
    expect(t.logs.length).toBeGreaterThan(50); // trace level: plenty was written
    const leaked = secrets.filter((s) => logs.includes(s) || logs.includes(encodeURIComponent(s)));
    expect(leaked).toEqual([]);
  });
});
