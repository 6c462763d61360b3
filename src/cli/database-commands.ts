import { loadDatabaseConfig } from '../config/database.config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { applyMigrations, markMigrationRolledBack } from '../database/migrations';
import { MIGRATIONS_DIR } from '../database/migrations-dir';
import { waitForDatabase } from '../database/wait-for-database';
import { EMBEDDED_DATABASE } from '../database/open-database';
import type { CliOutput } from './cli-output';

/** Applies pending migrations like `prisma migrate deploy`. */
export async function migrate(io: CliOutput): Promise<void> {
  await withDatabase(io, async (url) => {
    const applied = await applyMigrations(url, MIGRATIONS_DIR);
    io.out(
      applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'No pending migrations to apply.',
    );
  });
}

/**
 * Marks a failed migration rolled back (like `prisma migrate resolve --rolled-back`), after its cause was fixed:
 * each migration runs in one transaction, so a failed one left nothing behind, and `db migrate` applies it again.
 */
export async function markRolledBack(migration: string, io: CliOutput): Promise<void> {
  await withDatabase(io, async (url) => {
    await markMigrationRolledBack(url, migration);
    io.out(`Marked ${migration} rolled back; run db migrate to apply it again.`);
  });
}

/** DATABASE_URL, or the embedded PostgreSQL (started for the command and stopped after it). */
async function withDatabase(io: CliOutput, work: (url: string) => Promise<void>): Promise<void> {
  const config = loadDatabaseConfig();
  if (config.url) {
    await waitForDatabase(config.url, config.startupTimeoutMs, ({ database, cause }) =>
      io.err(`waiting for the database at ${database} (${cause})`),
    );
    return work(config.url);
  }
  const embedded = await startEmbeddedPostgres({ ...config.embedded, database: EMBEDDED_DATABASE });
  try {
    await work(embedded.connectionString);
  } finally {
    await embedded.stop();
  }
}
