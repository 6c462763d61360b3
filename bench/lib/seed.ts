import { Client } from 'pg';
import { request } from 'undici';
import type { FakeGitHub, FakeGitLab } from '../../test/fakes/fake-provider';
import { USER } from '../../test/support/providers';
import { LIST_SQL } from '../raw/list';

/** `count` GitLab personal-token authorizations named seed-0…, created through the service's API. */
export async function seedAuthorizations(
  base: string,
  gitlab: FakeGitLab,
  projectId: string,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const token = gitlab.issuePersonalToken(USER);
    const response = await request(`${base}/v1/${projectId}/git/auths/gitlab/personal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `seed-${i}`, token }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200)
      throw new Error(`seeding answered ${response.statusCode}: ${text}`);
  }
}

/** The authorization the repository scenarios name in X-Repo-Auth: a GitHub personal token of USER. */
export const REPO_AUTH = 'bench-github';

/** Creates REPO_AUTH through the service's API; returns its token, for the direct calls to the fake. */
export async function seedRepoAuthorization(
  base: string,
  github: FakeGitHub,
  projectId: string,
): Promise<string> {
  const token = github.issuePersonalToken(USER);
  const response = await request(`${base}/v1/${projectId}/git/auths/github/personal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: REPO_AUTH, token }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`seeding ${REPO_AUTH} answered ${response.statusCode}: ${text}`);
  return token;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * `rows` authorizations of other projects (10 per project, personal GitLab tokens with a dummy sealed value:
 * nobody reads their secrets), inserted in one statement, then the table is vacuumed and analysed so the
 * planner and the visibility map see it as a settled production table would be.
 */
export async function seedOtherProjects(url: string, rows: number): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(
      `INSERT INTO authorizations (id, project_id, name, repo_type, tag, token_type, repo_host, api_url,
         repo_home, repo_user, avatar, key_id, secret_sealed, created_at, updated_at)
       SELECT gen_random_uuid(), 'other-' || lpad((i / 10)::text, 7, '0'), 'auth-' || i, 'gitlab', '',
         'personal', 'https://gitlab.com', 'https://gitlab.com/api/v4', 'https://gitlab.com/user' || i,
         'user' || i, 'https://gitlab.com/avatar/' || i || '.png', 'seed', '\\x00'::bytea,
         now() - make_interval(secs => i), now() - make_interval(secs => i)
       FROM generate_series(1, $1::int) AS i`,
      [rows],
    );
    await client.query('VACUUM ANALYZE authorizations');
  });
}

/** Removes the authorizations of projects whose id starts with `prefix` (the flows' and checks' own). */
export async function deleteProjects(url: string, prefix: string): Promise<void> {
  await withClient(url, (client) =>
    client.query(`DELETE FROM authorizations WHERE project_id LIKE $1 || '%'`, [prefix]),
  );
}

/**
 * The list query's plans and timing (EXPLAIN ANALYZE, BUFFERS): the custom plan, which a statement sent unnamed
 * gets, and the generic plan, which a prepared statement may switch to after five executions (the service
 * prepares its statements).
 */
export async function listPlan(url: string, projectId: string): Promise<string> {
  return withClient(url, async (client) => {
    const explain = async (sql: string, values: unknown[]) =>
      (await client.query<{ 'QUERY PLAN': string }>(sql, values)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const custom = await explain(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${LIST_SQL}`, [projectId]);
    await client.query(`PREPARE bench_list(text) AS ${LIST_SQL}`);
    await client.query('SET plan_cache_mode = force_generic_plan');
    const generic = await explain(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE bench_list(${client.escapeLiteral(projectId)})`,
      [],
    );
    return `custom plan:\n${custom}\n\ngeneric plan (prepared):\n${generic}`;
  });
}

/**
 * The distinct statements other sessions of this database run during `ms` (sampled from pg_stat_activity every
 * few milliseconds): how the service's queries look on the wire, without touching the service.
 */
export async function observeStatements(url: string, ms: number): Promise<string[]> {
  return withClient(url, async (client) => {
    const seen = new Set<string>();
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ query: string }>(
        `SELECT query FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
      );
      for (const row of rows) seen.add(row.query.replace(/\s+/g, ' ').trim());
      await new Promise((r) => setTimeout(r, 3));
    }
    return [...seen];
  });
}
