import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runCli, USAGE } from '../src/cli/run-cli';
import { applyMigrations } from '../src/database/migrations';
import { MIGRATIONS_DIR } from '../src/database/migrations-dir';
import { parseKeyRing } from '../src/git-auth/crypto/key-ring';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Runs a command in-process, as `node dist/cli.js …` does, capturing what it writes. */
async function cli(...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out, err };
}

describe('command-line tools', () => {
  describe('keys', () => {
    it('generate prints one key entry and nothing else; two on one day have different ids', async () => {
      const first = await cli('keys', 'generate');
      const second = await cli('keys', 'generate');
      for (const run of [first, second]) {
        expect(run).toEqual({ status: 0, out: [expect.any(String) as string], err: [] });
        expect(run.out[0]).toMatch(/^k\d{8}-[0-9a-f]{6}:[A-Za-z0-9+/]{43}=$/);
      }
      // Both go into one ring without a duplicate id.
      const ring = parseKeyRing(`${second.out[0]},${first.out[0]}`, 'test');
      expect(new Set(ring.ids).size).toBe(2);
    });

    it('init-file creates a key file once and keeps it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cli-keys-'));
      try {
        const file = join(dir, 'keys');
        expect(await cli('keys', 'init-file', file)).toEqual({
          status: 0,
          out: [`Created ${file}`],
          err: [],
        });
        const content = readFileSync(file, 'utf8');
        expect((await cli('keys', 'init-file', file)).out).toEqual([`${file} exists; kept`]);
        expect(readFileSync(file, 'utf8')).toBe(content);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it.each([
    [[]],
    [['keys']],
    [['keys', 'generate', 'extra']],
    [['db', 'resolve', 'x']],
    [['nope', 'x']],
  ])('answers %j with the usage and status 2', async (args) => {
    expect(await cli(...args)).toEqual({ status: 2, out: [], err: [USAGE] });
  });

  describe('db', () => {
    let db: TestDatabase;
    let broken: string;
    const saved = process.env.DATABASE_URL;

    beforeAll(async () => {
      db = await createTestDatabase({ empty: true });
      process.env.DATABASE_URL = db.url;
      // The migrations folder with its last migration failing, as a broken release would have it.
      broken = mkdtempSync(join(tmpdir(), 'migrations-broken-'));
      cpSync(MIGRATIONS_DIR, broken, { recursive: true });
      const last = readdirSync(broken)
        .filter((e) => /^\d{14}_/.test(e))
        .sort()
        .at(-1)!;
      writeFileSync(join(broken, last, 'migration.sql'), 'SELECT 1/0;\n');
    });

    afterAll(async () => {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      rmSync(broken, { recursive: true, force: true });
      await db?.drop();
    });

    it('migrate applies, and a failed migration is marked rolled back with resolve, then applied', async () => {
      const last = readdirSync(MIGRATIONS_DIR)
        .filter((e) => /^\d{14}_/.test(e))
        .sort()
        .at(-1)!;
      await expect(applyMigrations(db.url, broken)).rejects.toThrow(
        `node dist/cli.js db resolve --rolled-back ${last}`,
      );
      const failed = await cli('db', 'migrate');
      expect(failed.status).toBe(1);
      expect(failed.err.join('\n')).toContain(`db resolve --rolled-back ${last}`);

      expect(await cli('db', 'resolve', '--rolled-back', last)).toEqual({
        status: 0,
        out: [`Marked ${last} rolled back; run db migrate to apply it again.`],
        err: [],
      });
      expect(await cli('db', 'migrate')).toEqual({ status: 0, out: [`Applied: ${last}`], err: [] });
      expect(await cli('db', 'migrate')).toEqual({
        status: 0,
        out: ['No pending migrations to apply.'],
        err: [],
      });
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const rows = await client.query<{ migration_name: string; rolled_back_at: Date | null }>(
          'SELECT migration_name, rolled_back_at FROM _prisma_migrations WHERE migration_name = $1',
          [last],
        );
        expect(rows.rows.map((r) => r.rolled_back_at === null).sort()).toEqual([false, true]);
      } finally {
        await client.end();
      }
    });

    it('keys rotate boots neither caller authentication nor providers: it runs where the service could not start', async () => {
      const saved = { ...process.env };
      // AUTH_MODE=iam without any caller keys, and a provider half configured: both stop the service at start-up.
      Object.assign(process.env, {
        AUTH_MODE: 'iam',
        GITHUB_CLIENT_ID: 'without-a-secret',
        TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      });
      for (const key of Object.keys(process.env))
        if (key.startsWith('AUTH_') && key !== 'AUTH_MODE') delete process.env[key];
      try {
        const run = await cli('keys', 'rotate');
        expect(run.err).toEqual([]);
        expect(run.out).toEqual([expect.stringMatching(/^Key k1: re-sealed 0 authorization\(s\)/)]);
        expect(run.status).toBe(0);
      } finally {
        process.env = saved;
      }
    });
  });
});
