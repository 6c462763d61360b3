import { applyMigrations } from '../../src/database/migrations';
import { MIGRATIONS_DIR } from '../../src/database/migrations-dir';
import {
  startTestDatabaseServer,
  TEST_SERVER_URL_VAR,
  TEST_TEMPLATE_VAR,
} from './test-database-server';
import { databaseUrl, testDatabaseName, withAdmin } from './test-database';

declare global {
  var __GIT_AUTH_TEST_SERVER_STOP__: (() => Promise<void>) | undefined;
}

/**
 * Starts (or finds) the test PostgreSQL and migrates one template database, which every e2e file copies. Workers
 * start after global setup and inherit the variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startTestDatabaseServer();
  process.env[TEST_SERVER_URL_VAR] = server.url;
  const template = testDatabaseName('template');
  await withAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(template)}`));
  process.env[TEST_TEMPLATE_VAR] = template;
  globalThis.__GIT_AUTH_TEST_SERVER_STOP__ = server.stop;
  await applyMigrations(databaseUrl(template), MIGRATIONS_DIR);
}
