import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { MigrationDirectory, MigrationList } from '@prisma/schema-engine-wasm';
import { Client } from 'pg';
import { isUpToDate, readAppliedMigrations } from './migration-status';
import { openSchemaEngine, type EngineLog } from './schema-engine';

/**
 * Reads a Prisma migrations folder exactly like the Prisma CLI does (`prisma migrate deploy`):
 * every sub-directory is a migration, sorted by name, whose script is `migration.sql`;
 * `migration_lock.toml` is optional.
 */
async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockfilePath = 'migration_lock.toml';
  const lockfileContent = await readFile(path.join(baseDir, lockfilePath), 'utf8').catch(
    () => null,
  );
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
      (value) => ({ tag: 'ok' as const, value }),
      (error: Error) => ({ tag: 'error' as const, value: error.message }),
    );
    migrationDirectories.push({
      path: entry.name,
      migrationFile: { path: 'migration.sql', content },
    });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir,
    lockfile: { path: lockfilePath, content: lockfileContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Our own lock key; Prisma's engine locks 72707369 itself (with a 10 s timeout). */
const RUNNER_LOCK_KEY = 72707370;

/** One session of our own for the check and the runner lock (closing it releases the lock). */
async function withRunnerSession<T>(
  connectionString: string,
  connectTimeoutMs: number | undefined,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {}); // a dropped idle connection must not crash the process; end() cleans up
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Serialises migration runners (e.g. several replicas starting at once) on an advisory lock of our own,
 * waiting up to `waitMs`. Without it, a second runner gives up after the engine's fixed 10 s lock timeout
 * (P1002) while the first is still migrating. The engine still takes Prisma's lock inside, so it also stays
 * serialised with a `prisma migrate deploy` run from elsewhere.
 */
async function takeRunnerLock(client: Client, waitMs: number): Promise<void> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
  await client.query('SELECT pg_advisory_lock($1)', [RUNNER_LOCK_KEY]);
}

/**
 * A `schema` parameter in the URL would put `_prisma_migrations` where our plain session does not look; such a
 * database always goes through the engine.
 */
function namesSchema(connectionString: string): boolean {
  try {
    return new URL(connectionString).searchParams.has('schema');
  } catch {
    return true;
  }
}

/**
 * Applies the pending migrations of a Prisma migrations folder (the equivalent of `prisma migrate deploy`)
 * and returns the names of the migrations applied now (empty if there were none).
 *
 * Same `_prisma_migrations` table and sha256 checksums as the Prisma CLI; concurrent runners wait for each
 * other (runner lock, up to `lockWaitMs`, default 5 min; then Prisma's own lock). A failing migration is recorded as
 * failed and blocks later runs (P3009) until it is marked rolled back (`markMigrationRolledBack`, the CLI's
 * `db resolve --rolled-back`).
 *
 * The usual case at start-up is a database that is already up to date: one query on `_prisma_migrations`
 * (names, checksums, finished, rolled back: see isUpToDate) settles it, and the schema engine — a 5 MB
 * WebAssembly module that costs tens of milliseconds and of megabytes — is not loaded at all. Whenever the
 * query finds anything else, the engine runs under the runner lock exactly as before and decides (it checks the
 * table again under Prisma's lock). Skipping the lock on the up-to-date path loses nothing: there is nothing
 * to serialise, and a runner still applying a migration leaves an unfinished row, which sends us to the lock.
 * The database must exist.
 */
export async function applyMigrations(
  connectionString: string,
  migrationsDir: string,
  options: { log?: EngineLog; lockWaitMs?: number; connectTimeoutMs?: number } = {},
): Promise<string[]> {
  const migrationsList = await readMigrationsList(migrationsDir);
  const { connectTimeoutMs } = options;
  return withRunnerSession(connectionString, connectTimeoutMs, async (client) => {
    if (!namesSchema(connectionString)) {
      const applied = await readAppliedMigrations(client);
      if (applied !== undefined && isUpToDate(migrationsList, applied)) return [];
    }
    await takeRunnerLock(client, options.lockWaitMs ?? 300_000);
    const session = await openSchemaEngine(connectionString, options.log, connectTimeoutMs);
    try {
      const { appliedMigrationNames } = await session.engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      return appliedMigrationNames;
    } catch (error) {
      throw withResolveHint(error);
    } finally {
      await session.close();
    }
  });
}

/**
 * The engine names a failed migration (when it fails, and on every later run, P3009) and points at
 * `prisma migrate resolve`, which this project cannot run: the message says what to run instead.
 */
function withResolveHint(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const failed =
    /with migration_name="([^"]+)"/.exec(error.message)?.[1] ??
    /The `([^`]+)` migration started at .* failed/.exec(error.message)?.[1];
  if (failed === undefined) return error;
  error.message =
    `${error.message.trimEnd()}\nEach migration runs in one transaction, so the failed one left nothing behind. ` +
    `Fix its cause, then mark it rolled back with \`node dist/cli.js db resolve --rolled-back ${failed}\`; ` +
    'the next migration run (db migrate, or a start-up) applies it again.';
  return error;
}

/** Marks a failed migration as rolled back (the equivalent of `prisma migrate resolve --rolled-back`). */
export async function markMigrationRolledBack(
  connectionString: string,
  migrationName: string,
): Promise<void> {
  const session = await openSchemaEngine(connectionString);
  try {
    await session.engine.markMigrationRolledBack({ migrationName });
  } finally {
    await session.close();
  }
}
