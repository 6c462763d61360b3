import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_SERVER_URL_VAR, TEST_TEMPLATE_VAR } from './test-database-server';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** The names this suite gives its databases: nothing else is ever dropped. */
const TEST_DATABASE_NAME = /^git_auth_(test|template)_\d+_[0-9a-f]{8}$/;

export function testDatabaseName(kind: 'test' | 'template'): string {
  return `git_auth_${kind}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function fromSetup(variable: string): string {
  const value = process.env[variable];
  if (!value)
    throw new Error(`${variable} is not set: run the e2e tests through jest's global setup`);
  return value;
}

/** One connection to `url` for `work`, closed afterwards. */
export async function withConnection<T>(
  url: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  return withConnection(fromSetup(TEST_SERVER_URL_VAR), work);
}

export function databaseUrl(name: string): string {
  const url = new URL(fromSetup(TEST_SERVER_URL_VAR));
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  if (!TEST_DATABASE_NAME.test(name)) throw new Error(`refusing to drop ${name}`);
  await withAdmin((c) =>
    c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/**
 * A database of its own for one test file: a copy of the template that global setup migrated once (a file
 * copy, much cheaper than migrating), or with `empty`, a database without any table for tests that migrate
 * themselves (the production way). Outside Jest (the benchmark) there is no template: the database is empty and
 * the service migrates it at start-up.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = testDatabaseName('test');
  const template = options.empty ? undefined : process.env[TEST_TEMPLATE_VAR];
  await withAdmin((c) =>
    c.query(
      template === undefined
        ? `CREATE DATABASE ${c.escapeIdentifier(name)}`
        : `CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`,
    ),
  );
  return { url: databaseUrl(name), drop: () => dropDatabase(name) };
}
