import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { KINDS, USER, appOf, kindsAccepting, type FakeProviders } from './support/providers';
import { startStack, type Stack } from './support/stack';
import type { TestApp } from './support/test-app';
import type { TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';

/**
 * What an operator's backup sees: `pg_dump` of a database holding every kind of authorization must not contain
 * a single token, refresh token, password, code, state or client secret in clear.
 */
describe('secrets at rest', () => {
  let stack: Stack;
  let db: TestDatabase;
  let providers: FakeProviders;
  let t: TestApp;
  const secrets: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    ({ db, providers, t } = stack);
  });

  afterAll(() => stack?.stop());

  async function connect(kind: string, name: string): Promise<void> {
    const redirect = await t.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/${kind}/redirect`,
    );
    secrets.push(new URL(redirect.body.url).searchParams.get('state') ?? '');
    const { code, state } = await providers.fakes[kind].authorize(redirect.body.url, USER);
    expect(
      (
        await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/oauth`, {
          body: { name, code, state },
        })
      ).status,
    ).toBe(200);
  }

  it('pg_dump of the database contains no secret in clear', async () => {
    for (const kind of KINDS) await connect(kind, `oauth-${kind}`);
    // An unconsumed state with its PKCE verifier, too.
    const pending = await t.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/gitlab/redirect`,
    );
    secrets.push(new URL(pending.body.url).searchParams.get('state') ?? '');

    for (const kind of kindsAccepting('personal')) {
      const pat = providers.fakes[kind].issuePersonalToken(USER);
      expect(
        (
          await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/personal`, {
            body: { name: `pat-${kind}`, token: pat },
          })
        ).status,
      ).toBe(200);
    }
    for (const kind of kindsAccepting('password')) {
      const password = `${kind}-app-password-4711`;
      providers.fakes[kind].addAppPassword(USER, password);
      expect(
        (
          await t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/password`, {
            body: { name: `pw-${kind}`, user: USER, password },
          })
        ).status,
      ).toBe(200);
      secrets.push(password);
    }

    secrets.push(...KINDS.map((k) => appOf(k).clientSecret));
    for (const kind of KINDS) secrets.push(...providers.fakes[kind].issuedSecrets());
    const meaningful = secrets.filter((s) => s.length >= 8);
    expect(meaningful.length).toBeGreaterThan(20);

    const dump = await dumpDatabase(db.url);
    expect(dump).toContain('oauth-github'); // the rows are really in the dump
    const leaked = meaningful.filter(
      (s) => dump.includes(s) || dump.includes(Buffer.from(s).toString('hex')),
    );
    expect(leaked).toEqual([]);
  });
});

/**
 * pg_dump's data, as an operator's backup holds it. Where the PostgreSQL client tools are not installed (the
 * embedded server ships none), every row of every table as JSON text, bytea as hex like pg_dump writes it.
 */
async function dumpDatabase(url: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', '--data-only', url], {
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM ${client.escapeIdentifier(name)} t`,
      );
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
