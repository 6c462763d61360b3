import { AuthorizationSecrets } from '../../src/git-auth/crypto/authorization-secrets';
import { parseKeyRing } from '../../src/git-auth/crypto/key-ring';
import { SecretSealer } from '../../src/git-auth/crypto/secret-sealer';
import { TEST_TOKEN_KEYS } from './test-app';
import { withConnection } from './test-database';

/** What a test service (sealing with TEST_TOKEN_KEYS) has stored for an authorization, opened. */
export interface StoredTokens {
  readonly status: number;
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly tokenExpiresAt: Date | null;
}

const secrets = new AuthorizationSecrets(new SecretSealer(parseKeyRing(TEST_TOKEN_KEYS, 'test')));

/** Reads the row straight from the database (also after the service has exited). */
export function storedTokens(
  databaseUrl: string,
  projectId: string,
  name: string,
): Promise<StoredTokens> {
  return withConnection(databaseUrl, async (c) => {
    const { rows } = await c.query<{
      status: number;
      key_id: string;
      secret_sealed: Buffer;
      refresh_token_sealed: Buffer | null;
      token_expires_at: Date | null;
    }>(
      `SELECT status, key_id, secret_sealed, refresh_token_sealed, token_expires_at
         FROM authorizations WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    if (rows.length !== 1) throw new Error(`no authorization ${projectId}/${name}`);
    const [row] = rows;
    const opened = secrets.open({
      projectId,
      name,
      keyId: row.key_id,
      secretSealed: new Uint8Array(row.secret_sealed),
      refreshTokenSealed: row.refresh_token_sealed && new Uint8Array(row.refresh_token_sealed),
    });
    return {
      status: row.status,
      accessToken: opened.secret,
      refreshToken: opened.refreshToken,
      tokenExpiresAt: row.token_expires_at,
    };
  });
}

/** Waits (checking every 25 ms, for at most `ms`) until the stored access token is not `previous` any more. */
export async function storedTokensReplacing(
  databaseUrl: string,
  projectId: string,
  name: string,
  previous: string,
  ms = 10_000,
): Promise<StoredTokens> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = await storedTokens(databaseUrl, projectId, name);
    if (now.accessToken !== previous) return now;
    if (Date.now() > deadline) throw new Error(`${name}: no new tokens stored within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Makes the stored access token expired (instead of waiting for it), so the next use refreshes it. */
export async function expireStoredToken(
  databaseUrl: string,
  projectId: string,
  name: string,
): Promise<void> {
  await withConnection(databaseUrl, (c) =>
    c.query(
      `UPDATE authorizations SET token_expires_at = now() - interval '1 second'
        WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    ),
  );
}
