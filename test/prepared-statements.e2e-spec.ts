import { PrismaService } from '../src/database/prisma.service';
import { startStack, type Stack } from './support/stack';
import { startTestApp } from './support/test-app';
import { withConnection } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const LIST = `/v1/${PROJECT}/git/auths`;

/** The names prepared on the app's only pooled connection (the client's queries share that pool). */
async function preparedNames(prisma: PrismaService): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements`;
  return rows.map((r) => r.name).sort();
}

describe('prepared statements (DB_PREPARED_STATEMENTS)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ DB_POOL_MAX: '1' });
  });

  afterAll(() => stack?.stop());

  it('prepares the hot statements once per connection, under their names', async () => {
    const { t } = stack;
    expect((await t.request('GET', LIST)).status).toBe(200);
    expect((await t.request('GET', LIST)).status).toBe(200);
    expect(await preparedNames(t.app.get(PrismaService))).toContain('list_authorizations');
  });

  it('survives a migration that changes a prepared statement’s result columns', async () => {
    const { t, db } = stack;
    expect((await t.request('GET', LIST)).status).toBe(200);
    // The pooled connection holds list_authorizations with avatar as varchar(2048).
    await withConnection(db.url, (c) =>
      c.query('ALTER TABLE authorizations ALTER COLUMN avatar TYPE text'),
    );
    try {
      const after = await t.request<{ authorizations: unknown[] }>('GET', LIST);
      expect(after.status).toBe(200);
      expect(after.body.authorizations).toEqual([]);
    } finally {
      await withConnection(db.url, (c) =>
        c.query('ALTER TABLE authorizations ALTER COLUMN avatar TYPE varchar(2048)'),
      );
    }
  });

  it('sends unnamed statements when turned off (poolers that cannot keep them)', async () => {
    const unprepared = await startTestApp({
      DATABASE_URL: stack.db.url,
      AUTH_MODE: 'none',
      DB_POOL_MAX: '1',
      DB_PREPARED_STATEMENTS: 'false',
    });
    try {
      expect((await unprepared.request('GET', LIST)).status).toBe(200);
      expect(await preparedNames(unprepared.app.get(PrismaService))).toEqual([]);
    } finally {
      await unprepared.close();
    }
  });
});
