import type { PrismaService } from '../../database/prisma.service';
import type { AuthorizationSecrets } from './authorization-secrets';

export interface RotationResult {
  readonly resealed: number;
  /** Changed while being re-sealed (a concurrent refresh): left for the next run. */
  readonly skipped: number;
  readonly alreadyCurrent: number;
  /** Expired or abandoned OAuth states sealed with an old key are simply dropped (they live minutes). */
  readonly statesDropped: number;
}

const BATCH = 100;

/**
 * Re-seals every authorization not sealed with the current (first) key, in batches, one row at a time. Each
 * update is guarded by the row's update time as read: a refresh that happened meanwhile (by a replica still
 * sealing with an old key) is never overwritten with the secrets read before it; such a row is picked up by
 * the next run. Afterwards the old keys can be removed from TOKEN_ENCRYPTION_KEYS.
 */
export async function rotateKeys(
  prisma: PrismaService,
  secrets: AuthorizationSecrets,
  currentKeyId: string,
): Promise<RotationResult> {
  let resealed = 0;
  let skipped = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await prisma.authorization.findMany({
      where: { keyId: { not: currentKeyId }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (batch.length === 0) break;
    for (const row of batch) {
      const opened = secrets.open(row);
      const sealed = secrets.seal(row, opened.secret, opened.refreshToken);
      const { count } = await prisma.authorization.updateMany({
        where: { id: row.id, keyId: row.keyId, updatedAt: row.updatedAt },
        data: {
          keyId: sealed.keyId,
          secretSealed: sealed.secretSealed,
          refreshTokenSealed: sealed.refreshTokenSealed,
        },
      });
      if (count === 1) resealed += 1;
      else skipped += 1;
    }
    after = batch[batch.length - 1].id;
  }
  const alreadyCurrent = await prisma.authorization.count({ where: { keyId: currentKeyId } });
  const { count: statesDropped } = await prisma.oAuthState.deleteMany({
    where: { keyId: { not: currentKeyId } },
  });
  return { resealed, skipped, alreadyCurrent: alreadyCurrent - resealed, statesDropped };
}
