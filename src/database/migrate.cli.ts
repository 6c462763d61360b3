/**
 * `npm run db:migrate`: applies pending migrations (prisma/migrations) like `prisma migrate deploy`, to
 * DATABASE_URL, or to the embedded PostgreSQL when it is not set (starting and stopping it).
 */
import { loadDatabaseConfig } from '../config/database.config';
import { loadDotEnv } from '../config/dotenv';
import { startEmbeddedPostgres } from './embedded-postgres';
import { EMBEDDED_DATABASE } from './open-database';
import { applyMigrations } from './migrations';
import { MIGRATIONS_DIR } from './migrations-dir';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadDatabaseConfig();
  const embedded = config.url
    ? undefined
    : await startEmbeddedPostgres({ ...config.embedded, database: EMBEDDED_DATABASE });
  try {
    const applied = await applyMigrations(config.url ?? embedded!.connectionString, MIGRATIONS_DIR);
    console.log(
      applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'No pending migrations to apply.',
    );
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
