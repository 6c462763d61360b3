import { expectError } from './support/errors';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

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

  it('answers 503 SVCSTG.REPO.0503 while the database is gone, and recovers when it is back', async () => {
    const path = '/v1/0123456789abcdef0123456789abcdef/git/auths';
    expect((await t.request('GET', path)).status).toBe(200);

    const port = proxy.port;
    await proxy.stop();
    expectError(await t.request('GET', path), 'UNAVAILABLE');
    expectError(await t.request('GET', '/health/ready'), 'UNAVAILABLE');
    expect((await t.request('GET', '/health')).status).toBe(200);
    const errorLine = t.logs.find((l) => l.includes('"errorCode":"SVCSTG.REPO.0503"'));
    expect(errorLine).toBeDefined();

    await proxy.start(port);
    expect((await t.request('GET', path)).status).toBe(200);
  });
});
