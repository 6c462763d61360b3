import type { Pool } from 'pg';
import { RawError } from './errors';
import { query } from './sql';
import type { AuthorizationSecrets } from './service-parts';

/** The columns a clone credential needs, not the whole row. */
const CREDENTIAL_SQL = `
  SELECT repo_type, repo_host, token_type, login, repo_user, status, key_id, secret_sealed, token_expires_at
  FROM authorizations WHERE project_id = $1 AND name = $2`;

/**
 * The audit row of a credential handed out or refused, as the service writes it (src/audit/persistence): one
 * INSERT, the database's clock; no caller with AUTH_MODE=none.
 */
const AUDIT_SQL = `
  INSERT INTO audit_events (project_id, authorization_name, operation, repository, ref, path, hook_id,
    caller_scheme, caller_subject, request_id, outcome, error_code, finished_at)
  VALUES ($1, $2, 'showCredential', NULL, NULL, NULL, NULL, 'none', '-', $3, CAST($4 AS "AuditOutcome"), $5, now())
  RETURNING id`;

interface CredentialRow {
  repo_type: string;
  repo_host: string;
  token_type: string;
  login: string | null;
  repo_user: string;
  status: number;
  key_id: string;
  secret_sealed: Buffer<ArrayBuffer>;
  token_expires_at: Date | null;
}

/** Who `git clone https://username:token@host/…` must name for a token of this provider and kind. */
function gitUsername(row: CredentialRow): string {
  const login = row.login ?? row.repo_user;
  switch (row.repo_type) {
    case 'github':
      return 'x-access-token';
    case 'gitlab':
      return 'oauth2';
    case 'gitee':
      return row.token_type === 'oauth' ? 'oauth2' : login;
    default:
      return row.token_type === 'oauth' ? 'x-token-auth' : login;
  }
}

export interface CredentialDeps {
  readonly pool: Pool;
  readonly secrets: AuthorizationSecrets;
  readonly minTtlSeconds: number;
}

/**
 * POST /v1/{p}/git/auths/{name}/credential for a token that needs no refresh, recorded in the audit trail before
 * it leaves (a refusal too) as the service records it. Refreshing (a row lock and a provider call) is outside
 * the raw reference: the benchmark's credential is a personal token that never expires, so an expiring token
 * answers 500 here instead of pretending.
 */
export async function gitCredential(
  deps: CredentialDeps,
  projectId: string,
  name: string,
  requestId: string,
): Promise<unknown> {
  let answer: unknown;
  try {
    answer = await openCredential(deps, projectId, name);
  } catch (error) {
    const code = error instanceof RawError ? error.code : 'SVCSTG.REPO.0500';
    await query(deps.pool, AUDIT_SQL, [projectId, name, requestId, 'failed', code]).catch(
      () => undefined,
    );
    throw error;
  }
  try {
    await query(deps.pool, AUDIT_SQL, [projectId, name, requestId, 'succeeded', null]);
  } catch {
    throw new RawError(
      'DATABASE_UNAVAILABLE',
      'The operation could not be recorded in the audit trail, so it was not carried out; retry later',
    );
  }
  return answer;
}

async function openCredential(
  deps: CredentialDeps,
  projectId: string,
  name: string,
): Promise<unknown> {
  const { rows } = await query<CredentialRow>(deps.pool, CREDENTIAL_SQL, [projectId, name]);
  const row = rows[0];
  if (!row)
    throw new RawError(
      'AUTHORIZATION_NOT_FOUND',
      `No authorization named "${name}" in this project`,
    );
  if (row.status !== 0) {
    const why = row.status === 1 ? 'has expired' : 'is no longer accepted by the provider';
    throw new RawError(
      'AUTHORIZATION_INVALID',
      `The authorization "${name}" ${why}; re-authorize it`,
    );
  }
  const soon = Date.now() + deps.minTtlSeconds * 1000;
  if (row.token_expires_at !== null && row.token_expires_at.getTime() <= soon)
    throw new Error('token refresh is not part of the raw reference');
  // Only the access token is needed: the refresh token stays sealed.
  const { secret } = deps.secrets.open({
    projectId,
    name,
    keyId: row.key_id,
    secretSealed: row.secret_sealed,
    refreshTokenSealed: null,
  });
  return {
    repo_type: row.repo_type,
    repo_host: row.repo_host,
    username: gitUsername(row),
    token: secret,
    expires_at: row.token_expires_at?.getTime() ?? null,
  };
}
