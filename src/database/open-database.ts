import { Logger } from '@nestjs/common';
import type { DatabaseConfig } from '../config/database.config';
import { DatabaseConnection } from './database-connection';
import { startEmbeddedPostgres } from './embedded-postgres';
import { applyMigrations } from './migrations';
import { MIGRATIONS_DIR } from './migrations-dir';
import { waitForDatabase } from './wait-for-database';

const logger = new Logger('Database');

/** The database the service creates in its embedded server. */
export const EMBEDDED_DATABASE = 'git_auth';

/**
 * The configured server once it answers, or (no DATABASE_URL) an embedded PostgreSQL whose data survives
 * restarts; then the pending migrations, unless DB_MIGRATE_ON_START=false. Any failure stops start-up.
 */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseConnection> {
  const connection = config.url
    ? await configured(config.url, config.startupTimeoutMs)
    : await startEmbedded(config.embedded);
  if (config.migrateOnStart) {
    try {
      const applied = await applyMigrations(connection.url, MIGRATIONS_DIR, {
        connectTimeoutMs: config.startupTimeoutMs,
      });
      logger.log({ msg: 'migrations applied', applied });
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
  return connection;
}

/** The configured server, once it answers (bounded by DB_STARTUP_TIMEOUT_MS). */
async function configured(url: string, timeoutMs: number): Promise<DatabaseConnection> {
  await waitForDatabase(url, timeoutMs);
  return new DatabaseConnection(url, false);
}

async function startEmbedded(options: DatabaseConfig['embedded']): Promise<DatabaseConnection> {
  const started = Date.now();
  const pg = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    port: options.port,
    database: EMBEDDED_DATABASE,
    onLog: (line) => logger.debug({ msg: 'embedded postgres', line: line.trim() }),
  });
  logger.warn({
    msg: 'No DATABASE_URL: running on an embedded PostgreSQL (for development, not production)',
    dataDir: options.dataDir,
    port: pg.port,
    startupMs: Date.now() - started,
  });
  return new DatabaseConnection(pg.connectionString, true, () => pg.stop());
}
