import { PrismaService } from '../src/database/prisma.service';
import {
  NAME_EXISTS_SQL,
  SEALED_CREDENTIAL_SQL,
} from '../src/git-auth/persistence/authorization.sql';
import { CONSUME_STATE_SQL } from '../src/git-auth/persistence/oauth-state.sql';
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

  it('keeps the lookups by name on the unique index, whatever the table’s size', async () => {
    // A prepared statement's generic plan is made once and kept by its connection. With a second index on
    // (project_id, created_at) the planner priced both alike on a small table (1,000 rows here), and a
    // connection that kept that one scanned the whole project on every name check and credential read.
    const project = 'plan-sizes';
    const lookups = [
      { text: NAME_EXISTS_SQL.text, args: `'${project}', 'n1'` },
      { text: SEALED_CREDENTIAL_SQL.text, args: `'${project}', 'n1'` },
      // The OAuth completion's name check, inside the state's DELETE.
      {
        text: CONSUME_STATE_SQL.text,
        args: `'\\x00'::bytea, '${project}', 'github', '', now(), 'n1'`,
      },
    ];
    const plans: string[] = [];
    await withConnection(stack.db.url, async (c) => {
      try {
        for (const rows of [0, 100, 1_000, 5_000]) {
          await c.query(
            `INSERT INTO authorizations (id, project_id, name, repo_type, token_type, repo_host, api_url,
               key_id, secret_sealed)
             SELECT gen_random_uuid(), $1, 'n' || g, 'github', 'oauth', 'https://github.com',
               'https://api.github.com', 'k', '\\x00'::bytea
             FROM generate_series((SELECT count(*) FROM authorizations WHERE project_id = $1) + 1, $2) g`,
            [project, rows],
          );
          await c.query('SET plan_cache_mode = force_generic_plan');
          for (const { text, args } of lookups) {
            await c.query(`PREPARE lookup AS ${text}`);
            const plan = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE lookup(${args})`);
            plans.push(`${rows}: ${plan.rows.map((line) => line['QUERY PLAN']).join('\n')}`);
            await c.query('DEALLOCATE lookup');
          }
        }
      } finally {
        await c.query('DELETE FROM authorizations WHERE project_id = $1', [project]);
      }
    });
    expect(plans).toHaveLength(12);
    for (const plan of plans) expect(plan).toMatch(/using authorizations_project_id_name_key/);
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
