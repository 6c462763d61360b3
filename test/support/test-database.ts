import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_SERVER_URL_VAR } from './test-database-server';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env[TEST_SERVER_URL_VAR];
  if (!url)
    throw new Error(
      `${TEST_SERVER_URL_VAR} is not set: run the e2e tests through jest's global setup`,
    );
  return url;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file; the service applies its migrations itself, as in production. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `git_auth_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(async (c) => {
        // Never drop anything this file did not create.
        if (!/^git_auth_test_\d+_[0-9a-f]{8}$/.test(name))
          throw new Error(`refusing to drop ${name}`);
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
