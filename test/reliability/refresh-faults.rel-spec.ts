import { parseLogs, errorLines } from '../support/logs';
import { startFakeProviders, USER, type FakeProviders } from '../support/providers';
import { eventually } from '../support/poll';
import { storedTokens, storedTokensReplacing } from '../support/stored-tokens';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const BASE = `/v1/${PROJECT}/git/auths`;
/** The provider answers the refresh this long after the request. */
const HELD_MS = 1_500;

interface Measured {
  scenario: string;
  callerStatus: number;
  callerCode: string;
  callerMs: number;
  storedAfterMs: number;
  storedAfterRestoreMs: number;
  storeAttempts: unknown;
  refreshesAtProvider: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The database fails while a refresh waits for the provider (its transaction's connection is cut, new ones are
 * refused): the tokens the provider then returns are the only copy. They are stored as soon as the database
 * takes them — by the first retry when it is back before the answer (the caller notices nothing), by a later one
 * when it comes back afterwards (the caller gets 503 meanwhile) — and used without a second refresh.
 */
describe('reliability: the database fails between the provider answer and the commit', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let providers: FakeProviders;
  let t: TestApp;
  let counter = 0;
  const results: Measured[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    providers = await startFakeProviders();
    t = await startTestApp({
      DATABASE_URL: proxy.rewrite(db.url),
      AUTH_MODE: 'none',
      PROVIDER_TIMEOUT_MS: '5000',
      REFRESH_TIMEOUT_MS: '10000',
      ...providers.env,
    });
  });

  afterAll(async () => {
    console.log(`refresh vs database faults:\n${results.map((r) => JSON.stringify(r)).join('\n')}`);
    await t?.close();
    await proxy?.stop();
    await providers?.stop();
    await db?.drop();
  });

  async function connectExpiring(): Promise<string> {
    const gitlab = providers.fakes.gitlab;
    const name = `cut-${++counter}`;
    gitlab.useExpiringTokens(60);
    try {
      const redirect = await t.request<{ url: string }>('GET', `${BASE}/gitlab/redirect`);
      const { code, state } = await gitlab.authorize(redirect.body.url, USER);
      const res = await t.request('POST', `${BASE}/gitlab/oauth`, { body: { name, code, state } });
      expect(res.status).toBe(200);
    } finally {
      gitlab.useUsualTokens();
    }
    return name;
  }

  /** Calls of the refresh grant the fake GitLab has received so far (it records them before holding the answer). */
  const refreshRequests = () =>
    providers.fakes.gitlab.calls('token').filter((c) => c.grantType === 'refresh_token').length;

  // The cut comes once the provider holds the refresh (not after a fixed delay: on a loaded machine the request
  // may not have left yet), and the database is back this long after the cut.
  it.each([
    ['back before the answer', 500, 200],
    ['back only after the answer', HELD_MS + 900, 503],
  ])(
    'database cut while the provider holds the refresh, %s: stored, then used without a second refresh',
    async (scenario, restoreAfterCutMs, callerStatus) => {
      const gitlab = providers.fakes.gitlab;
      const name = await connectExpiring();
      const before = await storedTokens(db.url, PROJECT, name);
      const refreshes = gitlab.refreshCount();
      const logStart = t.logs.length;
      const port = proxy.port;

      const requestsBefore = refreshRequests();
      gitlab.failNext('token', { delayMs: HELD_MS });
      const started = Date.now();
      const caller = t
        .request<{ error_code?: string }>('POST', `${BASE}/${name}/credential`)
        .then((res) => ({ res, ms: Date.now() - started }));
      await eventually(() => refreshRequests() > requestsBefore, HELD_MS);
      await proxy.stop();
      await sleep(restoreAfterCutMs);
      await proxy.start(port);
      const restoredAt = Date.now();
      const after = await storedTokensReplacing(db.url, PROJECT, name, before.accessToken, 15_000);
      const storedAt = Date.now();
      const { res, ms } = await caller;

      const lines = parseLogs(t.logs.slice(logStart));
      results.push({
        scenario,
        callerStatus: res.status,
        callerCode: res.body?.error_code ?? '',
        callerMs: ms,
        storedAfterMs: storedAt - started,
        storedAfterRestoreMs: storedAt - restoredAt,
        storeAttempts: lines.find((l) => l.msg === 'refreshed tokens stored after a retry')
          ?.attempts,
        refreshesAtProvider: gitlab.refreshCount() - refreshes,
      });

      expect(res.status).toBe(callerStatus);
      if (callerStatus !== 200) expect(res.body.error_code).toBe('SVCSTG.REPO.0503');
      expect(after.status).toBe(0);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'refreshed tokens were not stored with the row lock; retrying',
          'refreshed tokens stored after a retry',
        ]),
      );
      expect(errorLines(t.logs.slice(logStart))).toEqual([]);

      const next = await t.request<{ token: string }>('POST', `${BASE}/${name}/credential`);
      expect(next.status).toBe(200);
      expect(next.body.token).toBe(after.accessToken);
      expect(gitlab.refreshCount() - refreshes).toBe(1);
    },
    30_000,
  );
});
