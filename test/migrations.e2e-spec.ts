import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

  it('settles an up-to-date database with one query; anything else goes to the schema engine as before', async () => {
    const fresh = await createTestDatabase({ empty: true });
    const started = async (url: string, dir = MIGRATIONS_DIR) => {
      const lines: string[] = [];
      const applied = await applyMigrations(url, dir, { log: (line) => lines.push(line) });
      // The engine's first log line, whatever it then does.
      return { applied, engine: lines.some((l) => l.includes('Starting schema-engine-wasm')) };
    };
    const admin = new Client({ connectionString: fresh.url });
    try {
      expect((await started(fresh.url)).engine).toBe(true); // no _prisma_migrations yet
      await admin.connect();
      expect(await started(fresh.url)).toEqual({ applied: [], engine: false });

      // An applied migration whose file changed since: the engine decides (deploy applies nothing).
      const { rows } = await admin.query<{ checksum: string }>(
        `UPDATE _prisma_migrations SET checksum = md5(checksum) || md5(checksum)
          WHERE migration_name = $1 RETURNING checksum`,
        [REPO_TYPE_AS_TEXT],
      );
      expect(rows).toHaveLength(1);
      expect(await started(fresh.url)).toEqual({ applied: [], engine: true });
      await admin.query(`UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2`, [
        createHash('sha256')
          .update(readFileSync(join(MIGRATIONS_DIR, REPO_TYPE_AS_TEXT, 'migration.sql')))
          .digest('hex'),
        REPO_TYPE_AS_TEXT,
      ]);
      expect((await started(fresh.url)).engine).toBe(false);

      // A pending migration (the folder without its last one is behind a database that has it: unknown row).
      expect((await started(fresh.url, before)).engine).toBe(true);

      // A migration that was started and never finished: the engine reports it (P3009) with our hint.
      await admin.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at)
         VALUES (gen_random_uuid()::text, 'x', $1, now())`,
        [REPO_TYPE_AS_TEXT],
      );
      await expect(applyMigrations(fresh.url, MIGRATIONS_DIR)).rejects.toThrow(
        `db resolve --rolled-back ${REPO_TYPE_AS_TEXT}`,
      );
    } finally {
      await admin.end();
      await fresh.drop();
    }
  });
});
