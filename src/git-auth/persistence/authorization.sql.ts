import { statement } from '../../database/statement';

/**
 * The hot reads as SQL, sent straight to the pool (PrismaService.queryRows): only the columns each needs, named
 * as the domain names them, so node-postgres' rows are the result with no mapping. Timestamps are read as epoch
 * milliseconds (exact: the columns hold milliseconds), which skips parsing a Date per value.
 */

/**
 * A project's authorizations for the list, oldest first, then by name for equal times: all of them (the API has
 * no paging), found through the unique (project_id, name) index and sorted.
 */
export const LIST_SQL = statement(
  'list_authorizations',
  `
  SELECT name, repo_type AS "repoType", tag, token_type AS "tokenType", repo_host AS "repoHost",
         repo_home AS "repoHome", repo_user AS "repoUser", avatar, status,
         floor(extract(epoch FROM created_at) * 1000)::float8 AS "createTime",
         floor(extract(epoch FROM updated_at) * 1000)::float8 AS "updateTime"
  FROM authorizations WHERE project_id = $1 ORDER BY created_at, name`,
);

/**
 * One authorization's credential by its unique (project_id, name). bytea arrives as a Buffer (a Uint8Array, as
 * Prisma gives it), token_expires_at as a Date (compared, and null for most tokens).
 */
export const SEALED_CREDENTIAL_SQL = statement(
  'sealed_credential',
  `
  SELECT project_id AS "projectId", name, repo_type AS "repoType", tag, token_type AS "tokenType",
         repo_host AS "repoHost", api_url AS "apiUrl", repo_user AS "repoUser", login, status,
         key_id AS "keyId", secret_sealed AS "secretSealed", token_expires_at AS "tokenExpiresAt"
  FROM authorizations WHERE project_id = $1 AND name = $2`,
);

export const NAME_EXISTS_SQL = statement(
  'authorization_name_exists',
  'SELECT 1 FROM authorizations WHERE project_id = $1 AND name = $2',
);

/** status, created_at and updated_at take the table's defaults (0, the transaction's time). */
export const INSERT_AUTHORIZATION_SQL = statement(
  'insert_authorization',
  `
  INSERT INTO authorizations (id, project_id, name, repo_type, tag, token_type, repo_host, api_url, repo_home,
    repo_user, avatar, login, key_id, secret_sealed, refresh_token_sealed, token_expires_at,
    refresh_token_expires_at, scope)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
  RETURNING status, created_at AS "createdAt", updated_at AS "updatedAt"`,
);

/** The unique index that decides whether a name is taken (SQLSTATE 23505 names it). */
export const NAME_UNIQUE_INDEX = 'authorizations_project_id_name_key';
