import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { GitHubApp } from './config';
import { RawError } from './errors';
import { query } from './sql';
import type { GitHubClient } from './github';
import { type AuthorizationSecrets, FOLDED_CONSUME_STATE } from './service-parts';
import type { OAuthCallback } from './validation';

/** The repo types the service knows; the raw reference has OAuth applications for GitHub only. */
const KNOWN_REPO_TYPES = new Set(['github', 'gitlab', 'gitee', 'bitbucket']);

const INSERT_STATE_SQL = `
  INSERT INTO oauth_states (state_hash, project_id, repo_type, tag, key_id, code_verifier_sealed, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

const NAME_EXISTS_SQL = 'SELECT 1 FROM authorizations WHERE project_id = $1 AND name = $2';

/** One statement: of concurrent callers exactly one gets the state. */
const CONSUME_STATE_SQL = `
  DELETE FROM oauth_states
  WHERE state_hash = $1 AND project_id = $2 AND repo_type = $3 AND tag = $4 AND expires_at > $5
  RETURNING key_id, code_verifier_sealed`;

/**
 * With RAW_FOLDED_NAME_CHECK=1 (`BENCH_RAW_FOLDED=1`), the service's single round trip and its very statement: the
 * name check inside the state's DELETE, for a like-for-like comparison.
 */
const FOLDED = process.env.RAW_FOLDED_NAME_CHECK === '1';

interface ConsumedState {
  key_id: string | null;
  code_verifier_sealed: Buffer<ArrayBuffer> | null;
}

const INSERT_AUTHORIZATION_SQL = `
  INSERT INTO authorizations (id, project_id, name, repo_type, tag, token_type, repo_host, api_url, repo_home,
    repo_user, avatar, key_id, secret_sealed, refresh_token_sealed, token_expires_at,
    refresh_token_expires_at, scope)
  VALUES ($1, $2, $3, 'github', $4, 'oauth', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  RETURNING created_at, updated_at`;

export interface OAuthDeps {
  readonly pool: Pool;
  readonly secrets: AuthorizationSecrets;
  readonly github: GitHubClient;
  readonly apps: ReadonlyMap<string, GitHubApp>;
  readonly stateTtlSeconds: number;
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function hashState(state: string): Buffer<ArrayBuffer> {
  return createHash('sha256').update(state, 'utf8').digest();
}

function appFor(deps: OAuthDeps, repoType: string, tag: string): GitHubApp {
  if (!KNOWN_REPO_TYPES.has(repoType)) {
    const shown = repoType.length > 32 ? `${repoType.slice(0, 32)}…` : repoType;
    throw new RawError('REPO_TYPE_NOT_SUPPORTED', `Repository type "${shown}" is not implemented`);
  }
  const app = repoType === 'github' ? deps.apps.get(tag) : undefined;
  if (!app) {
    throw new RawError(
      'PROVIDER_NOT_CONFIGURED',
      tag
        ? `No OAuth application is configured for ${repoType} with tag "${tag}"`
        : `No OAuth application is configured for ${repoType}`,
    );
  }
  return app;
}

/** GET …/{repo_type}/redirect: a one-off state (stored as its SHA-256) with a sealed PKCE verifier. */
export async function authorizeUrl(
  deps: OAuthDeps,
  projectId: string,
  repoType: string,
  tag: string,
): Promise<unknown> {
  const app = appFor(deps, repoType, tag);
  const state = base64url(randomBytes(32));
  const verifier = base64url(randomBytes(32));
  const stateHash = hashState(state);
  const sealed = deps.secrets.sealVerifier(stateHash, verifier);
  await query(deps.pool, INSERT_STATE_SQL, [
    stateHash,
    projectId,
    'github',
    tag,
    sealed.keyId,
    sealed.sealed,
    new Date(Date.now() + deps.stateTtlSeconds * 1000),
  ]);
  const search = new URLSearchParams({ client_id: app.clientId, redirect_uri: app.redirectUri });
  if (app.scopes) search.set('scope', app.scopes);
  search.set('state', state);
  search.set('code_challenge', base64url(createHash('sha256').update(verifier).digest()));
  search.set('code_challenge_method', 'S256');
  return { url: `${app.webUrl}/login/oauth/authorize?${search.toString()}` };
}

/** The state, unless it is unknown or stale or the name is taken (then the user's code stays unspent). */
async function consumeState(
  deps: OAuthDeps,
  projectId: string,
  tag: string,
  stateHash: Buffer<ArrayBuffer>,
  name: string,
  taken: () => RawError,
): Promise<ConsumedState | undefined> {
  const binding = [stateHash, projectId, 'github', tag, new Date()];
  if (FOLDED) {
    const [row] = (
      await query<{
        nameTaken: boolean;
        consumed: boolean;
        keyId: string | null;
        codeVerifierSealed: Buffer<ArrayBuffer> | null;
      }>(deps.pool, FOLDED_CONSUME_STATE.text, [...binding, name])
    ).rows;
    if (row.nameTaken) throw taken();
    return row.consumed
      ? { key_id: row.keyId, code_verifier_sealed: row.codeVerifierSealed }
      : undefined;
  }
  if ((await query(deps.pool, NAME_EXISTS_SQL, [projectId, name])).rowCount) throw taken();
  return (await query<ConsumedState>(deps.pool, CONSUME_STATE_SQL, binding)).rows[0];
}

/**
 * POST …/{repo_type}/oauth: consumes the state, exchanges the code, reads the profile and stores the
 * authorization with its tokens sealed. Unlike the service, a token obtained by a completion that then fails
 * is not given back to the provider: failures are not what the benchmark measures.
 */
export async function completeOAuth(
  deps: OAuthDeps,
  projectId: string,
  repoType: string,
  tag: string,
  callback: OAuthCallback,
): Promise<unknown> {
  const app = appFor(deps, repoType, tag);
  const taken = () =>
    new RawError(
      'ALREADY_EXISTS',
      `An authorization named "${callback.name}" already exists in this project`,
    );
  const stateHash = hashState(callback.state);
  const state = await consumeState(deps, projectId, tag, stateHash, callback.name, taken);
  if (!state) {
    throw new RawError(
      'OAUTH_CODE_OR_STATE_INVALID',
      'The state is unknown, expired, already used, or was issued for another project, repository type or tag',
    );
  }
  const verifier =
    state.key_id && state.code_verifier_sealed
      ? deps.secrets.openVerifier(stateHash, state.key_id, state.code_verifier_sealed)
      : null;
  const tokens = await deps.github.exchangeCode(app, callback.code, verifier);
  const profile = await deps.github.profile(app, tokens.accessToken);
  const identity = { projectId, name: callback.name };
  const sealed = deps.secrets.seal(identity, tokens.accessToken, tokens.refreshToken ?? undefined);
  let times: { created_at: Date; updated_at: Date };
  try {
    const inserted = await query<{ created_at: Date; updated_at: Date }>(
      deps.pool,
      INSERT_AUTHORIZATION_SQL,
      [
        randomUUID(),
        projectId,
        callback.name,
        tag,
        app.webUrl,
        app.apiUrl,
        profile.homeUrl,
        profile.login,
        profile.avatarUrl,
        sealed.keyId,
        sealed.secretSealed,
        sealed.refreshTokenSealed,
        tokens.expiresAt,
        tokens.refreshTokenExpiresAt,
        tokens.scope,
      ],
    );
    times = inserted.rows[0];
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw taken();
    throw error;
  }
  return {
    authorization: {
      name: callback.name,
      repo_type: 'github',
      repo_host: app.webUrl,
      repo_home: profile.homeUrl,
      repo_user: profile.login,
      avartar: profile.avatarUrl,
      token_type: 'oauth',
      create_time: times.created_at.getTime(),
      update_time: times.updated_at.getTime(),
      status: 0,
    },
  };
}
