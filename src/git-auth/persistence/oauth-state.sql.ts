import { statement } from '../../database/statement';

/** The OAuth flow's statements on its states, sent straight to the pool (see authorization.sql.ts). */

export const INSERT_STATE_SQL = statement(
  'insert_oauth_state',
  `
  INSERT INTO oauth_states (state_hash, project_id, repo_type, tag, key_id, code_verifier_sealed, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`,
);

/**
 * One statement: of concurrent callers exactly one gets the state, and none does when the project already has an
 * authorization named $6 (one round trip for what the completion checks first). Always one row.
 */
export const CONSUME_STATE_SQL = statement(
  'consume_oauth_state',
  `
  WITH taken AS (
    SELECT EXISTS (SELECT 1 FROM authorizations WHERE project_id = $2 AND name = $6) AS taken
  ), consumed AS (
    DELETE FROM oauth_states
    WHERE state_hash = $1 AND project_id = $2 AND repo_type = $3 AND tag = $4 AND expires_at > $5
      AND NOT (SELECT taken FROM taken)
    RETURNING key_id, code_verifier_sealed
  )
  SELECT taken.taken AS "nameTaken", EXISTS (SELECT 1 FROM consumed) AS "consumed",
         consumed.key_id AS "keyId", consumed.code_verifier_sealed AS "codeVerifierSealed"
  FROM taken LEFT JOIN consumed ON true`,
);

/** The janitor's batch: at most $2 of the states expired at $1. */
export const DELETE_EXPIRED_STATES_SQL = statement(
  'delete_expired_oauth_states',
  `
  DELETE FROM oauth_states WHERE state_hash IN (
    SELECT state_hash FROM oauth_states WHERE expires_at <= $1 LIMIT $2)`,
);
