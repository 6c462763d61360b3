import { createHash } from 'node:crypto';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type { Client } from 'pg';

/** A row of Prisma's `_prisma_migrations` table, as far as the check needs it. */
export interface AppliedMigrationRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
  rolled_back: boolean;
}

/** The provider every migration in the folder was written for (`migration_lock.toml`). */
const LOCKED_PROVIDER = /^\s*provider\s*=\s*"postgresql"\s*$/m;

/**
 * Whether the database already holds exactly the migrations of the folder, so that the schema engine has
 * nothing to do: every migration applied, finished, not rolled back and with the checksum of its file (sha256
 * of migration.sql, as Prisma records it), no failed or unfinished migration, none the folder does not have,
 * and a lock file (if any) for PostgreSQL. Anything else — pending, failed, edited, unknown, unreadable — is
 * left to the engine, which decides and reports exactly as `prisma migrate deploy` does.
 */
export function isUpToDate(list: MigrationList, rows: readonly AppliedMigrationRow[]): boolean {
  const lockfile = list.lockfile.content;
  if (lockfile !== null && lockfile !== undefined && !LOCKED_PROVIDER.test(lockfile)) return false;
  const applied = new Map<string, string>();
  for (const row of rows) {
    if (row.rolled_back) continue;
    if (!row.finished) return false;
    applied.set(row.migration_name, row.checksum);
  }
  if (applied.size !== list.migrationDirectories.length) return false;
  return list.migrationDirectories.every(({ path, migrationFile: { content } }) => {
    const checksum = applied.get(path);
    return content.tag === 'ok' && checksum !== undefined && checksum === sha256(content.value);
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/**
 * The rows of `_prisma_migrations` in the connection's schema, in one round trip, or undefined when the table
 * does not exist (a new database: the engine creates it).
 */
export async function readAppliedMigrations(
  client: Client,
): Promise<AppliedMigrationRow[] | undefined> {
  try {
    const { rows } = await client.query<AppliedMigrationRow>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished,
              rolled_back_at IS NOT NULL AS rolled_back
         FROM _prisma_migrations`,
    );
    return rows;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return undefined;
    throw error;
  }
}
