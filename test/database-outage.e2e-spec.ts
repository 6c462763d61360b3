import { expectError } from './support/errors';
import { eventually, eventuallyAsync } from './support/poll';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { errorLines, parseLogs } from './support/logs';

/** The cheap check in npm test; the reliability suite stops, crashes and freezes a real server under load. */
describe('database outage', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    t = await startTestApp({ DATABASE_URL: proxy.rewrite(db.url), AUTH_MODE: 'none' });
  });

  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await db?.drop();
  });

  const lines = () => parseLogs(t.logs);

  it('answers 503 0503 while the database is gone, logs the outage once, and recovers by itself', async () => {
    const path = '/v1/0123456789abcdef0123456789abcdef/git/auths';
    expect((await t.request('GET', path)).status).toBe(200);

    const port = proxy.port;
    await proxy.stop();
    for (let i = 0; i < 5; i++) {
      expectError(await t.request('GET', path), 'UNAVAILABLE', /database/);
    }
    expectError(await t.request('GET', '/health/ready'), 'UNAVAILABLE', /database/);
    expect((await t.request('GET', '/health')).status).toBe(200);

    await proxy.start(port);
    expect((await t.request('GET', path)).status).toBe(200);
    // The outage probe notices within a second or two, without any request.
    await eventually(() => lines().some((l) => l.msg === 'database available again'), 10_000);
    expect(lines().filter((l) => l.msg === 'database unavailable')).toHaveLength(1);
    expect(errorLines(t.logs)).toEqual([]);
  });

  it('answers 503 0503 when the database hangs: connecting within DB_CONNECT_TIMEOUT_MS, a query within DB_STATEMENT_TIMEOUT_MS + 1 s', async () => {
    const hung = new TcpProxy(new URL(db.url).hostname, Number(new URL(db.url).port || 5432));
    await hung.start();
    const app = await startTestApp({
      DATABASE_URL: hung.rewrite(db.url),
      AUTH_MODE: 'none',
      DB_CONNECT_TIMEOUT_MS: '500',
      DB_STATEMENT_TIMEOUT_MS: '500',
    });
    const path = '/v1/0123456789abcdef0123456789abcdef/git/auths';
    const timed = async () => {
      const started = Date.now();
      const res = await app.request('GET', path);
      return { res, ms: Date.now() - started };
    };
    try {
      // No pooled connection yet: a new one is accepted and never answered.
      hung.freeze();
      const connecting = await timed();
      expectError(connecting.res, 'UNAVAILABLE', /database/);
      expect(connecting.ms).toBeGreaterThanOrEqual(450);

      hung.thaw();
      // On a loaded machine the first connection after the thaw can itself outlive the 500 ms bound.
      await eventuallyAsync(async () => (await app.request('GET', path)).status === 200, 15_000);
      // Now a pooled connection exists; its query is sent and never answered.
      hung.freeze();
      const querying = await timed();
      expectError(querying.res, 'UNAVAILABLE', /database/);
      expect(querying.ms).toBeGreaterThanOrEqual(1_450);
      expect(errorLines(app.logs)).toEqual([]);
    } finally {
      await app.close();
      await hung.stop();
    }
  });
});
