import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../src/database/migrations';
import { MIGRATIONS_DIR } from '../src/database/migrations-dir';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** The migration that turned the repo_type enum into text. */
const REPO_TYPE_AS_TEXT = '20261130045339_repo_type_as_text';
/** The values of the enum it replaced: history, not the registered providers. */
const ENUM_VALUES = ['github', 'gitlab', 'gitee', 'bitbucket'];

describe('migrations', () => {
  let db: TestDatabase;
  let before: string;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    // The migrations folder as it was before REPO_TYPE_AS_TEXT.
    before = mkdtempSync(join(tmpdir(), 'migrations-before-'));
    for (const entry of readdirSync(MIGRATIONS_DIR).filter((e) => e < REPO_TYPE_AS_TEXT))
      cpSync(join(MIGRATIONS_DIR, entry), join(before, entry), { recursive: true });
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
    rmSync(before, { recursive: true, force: true });
  });

  it('turns repo_type into text keeping every row of every former enum value', async () => {
    await applyMigrations(db.url, before);
    for (const [i, repoType] of ENUM_VALUES.entries()) {
      await client.query(
        `INSERT INTO authorizations (id, project_id, name, repo_type, token_type, repo_host, api_url, key_id, secret_sealed)
         VALUES (gen_random_uuid(), 'p1', $1, $2, 'oauth', 'https://h', 'https://h/api', 'k', '\\x01')`,
        [`auth-${repoType}`, repoType],
      );
      await client.query(
        `INSERT INTO oauth_states (state_hash, project_id, repo_type, expires_at)
         VALUES ($1, 'p1', $2, now() + interval '1 hour')`,
        [Buffer.from([i]), repoType],
      );
    }

    expect(await applyMigrations(db.url, MIGRATIONS_DIR)).toContain(REPO_TYPE_AS_TEXT);

    const rows = async (table: string) =>
      (
        await client.query<{ repo_type: string }>(
          `SELECT repo_type FROM ${table} ORDER BY repo_type`,
        )
      ).rows.map((r) => r.repo_type);
    expect(await rows('authorizations')).toEqual([...ENUM_VALUES].sort());
    expect(await rows('oauth_states')).toEqual([...ENUM_VALUES].sort());
    const types = await client.query<{ table_name: string; data_type: string }>(
      `SELECT table_name, data_type FROM information_schema.columns
       WHERE column_name = 'repo_type' ORDER BY table_name`,
    );
    expect(types.rows).toEqual([
      { table_name: 'authorizations', data_type: 'character varying' },
      { table_name: 'oauth_states', data_type: 'character varying' },
    ]);
    const enumType = await client.query(`SELECT 1 FROM pg_type WHERE typname = 'RepoType'`);
    expect(enumType.rowCount).toBe(0);

    // A provider registered later needs no migration.
    await client.query(
      `INSERT INTO oauth_states (state_hash, project_id, repo_type, expires_at)
       VALUES ('\\xff', 'p1', 'newprovider', now() + interval '1 hour')`,
    );
  });
});
