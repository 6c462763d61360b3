import type { PrismaService } from '../../database/prisma.service';
import type { AuthorizationSecrets } from './authorization-secrets';

export interface RotationResult {
  readonly resealed: number;
  readonly alreadyCurrent: number;
  /** Expired or abandoned OAuth states sealed with an old key are simply dropped (they live minutes). */
  readonly statesDropped: number;
}

/**
 * Re-seals every authorization not sealed with the current (first) key, one row at a time, each update
 * guarded by the key id it read, so a concurrent refresh is never overwritten. Afterwards the old keys can be
 * removed from TOKEN_ENCRYPTION_KEYS.
 */
export async function rotateKeys(
  prisma: PrismaService,
  secrets: AuthorizationSecrets,
  currentKeyId: string,
): Promise<RotationResult> {
  let resealed = 0;
  const stale = await prisma.authorization.findMany({ where: { keyId: { not: currentKeyId } } });
  for (const row of stale) {
    const opened = secrets.open(row);
    const sealed = secrets.seal(row, opened.secret, opened.refreshToken);
    const { count } = await prisma.authorization.updateMany({
      where: { id: row.id, keyId: row.keyId },
      data: {
        keyId: sealed.keyId,
        secretSealed: sealed.secretSealed,
        refreshTokenSealed: sealed.refreshTokenSealed,
      },
    });
    resealed += count;
  }
  const alreadyCurrent = await prisma.authorization.count({ where: { keyId: currentKeyId } });
  const { count: statesDropped } = await prisma.oAuthState.deleteMany({
    where: { keyId: { not: currentKeyId } },
  });
  return { resealed, alreadyCurrent: alreadyCurrent - resealed, statesDropped };
}
