import type { Pool } from 'pg';
import { query } from './sql';

/** Only what a list item shows; ordered like the service (creation, then name). */
export const LIST_SQL = `
  SELECT name, repo_type, repo_host, repo_home, repo_user, avatar, token_type, created_at, updated_at,
         status, tag
  FROM authorizations WHERE project_id = $1 ORDER BY created_at, name`;

interface ListRow {
  name: string;
  repo_type: string;
  repo_host: string;
  repo_home: string;
  repo_user: string;
  avatar: string;
  token_type: string;
  created_at: Date;
  updated_at: Date;
  status: number;
  tag: string;
}

/** GET /v1/{p}/git/auths: the project's authorizations as AuthorizationVO items. */
export async function listAuthorizations(pool: Pool, projectId: string): Promise<unknown> {
  const { rows } = await query<ListRow>(pool, LIST_SQL, [projectId]);
  const authorizations = rows.map((r) => ({
    name: r.name,
    repo_type: r.repo_type,
    repo_host: r.repo_host,
    repo_home: r.repo_home,
    repo_user: r.repo_user,
    avartar: r.avatar,
    token_type: r.token_type,
    create_time: r.created_at.getTime(),
    update_time: r.updated_at.getTime(),
    status: r.status,
    tag: r.tag,
  }));
  return { authorizations, count: authorizations.length };
}
