import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/database/embedded-postgres';

/** Set by global-setup for the workers: an admin URL of the server in which each test file makes its database. */
export const TEST_SERVER_URL_VAR = 'E2E_PG_SERVER_URL';
/** Set by global-setup for the workers: the migrated database each test file's database is copied from. */
export const TEST_TEMPLATE_VAR = 'E2E_PG_TEMPLATE';

/**
 * TEST_DATABASE_URL names a server to use (CI: the machine's PostgreSQL); without it an embedded PostgreSQL
 * runs under .data/test-postgres, initialised once and reused, with fsync off.
 */
export async function startTestDatabaseServer(): Promise<{
  url: string;
  stop: () => Promise<void>;
}> {
  const given = process.env.TEST_DATABASE_URL?.trim();
  if (given) return { url: given, stop: () => Promise.resolve() };
  const dataDir = resolve(__dirname, '..', '..', '.data', 'test-postgres');
  mkdirSync(dataDir, { recursive: true });
  const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({
    dataDir,
    database: 'postgres',
    unsafeFast: true,
    postgresFlags: ['-c', 'max_connections=300'],
    onLog: () => undefined,
  });
  return { url: pg.connectionString, stop: () => pg.stop() };
}
