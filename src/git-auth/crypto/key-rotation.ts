import { Injectable } from '@nestjs/common';
import { AuthorizationRepository } from '../persistence/authorization.repository';
import { OAuthStateRepository } from '../persistence/oauth-state.repository';
import { AuthorizationSecrets } from './authorization-secrets';
import { SecretSealer } from './secret-sealer';

interface RotationResult {
  readonly keyId: string;
  readonly resealed: number;
  /** Changed while being re-sealed (a concurrent refresh): left for the next run. */
  readonly skipped: number;
  readonly alreadyCurrent: number;
  /** Expired or abandoned OAuth states sealed with an old key are simply dropped (they live minutes). */
  readonly statesDropped: number;
}

const BATCH = 100;

/**
 * Re-seals every authorization not sealed with the current (first) key, in batches, one row at a time. A row
 * that a refresh changed meanwhile (by a replica still sealing with an old key) is never overwritten with the
 * secrets read before it; the next run picks it up. Afterwards the old keys can be removed from
 * TOKEN_ENCRYPTION_KEYS.
 */
@Injectable()
export class KeyRotation {
  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly states: OAuthStateRepository,
    private readonly secrets: AuthorizationSecrets,
    private readonly sealer: SecretSealer,
  ) {}

  async rotate(): Promise<RotationResult> {
    const keyId = this.sealer.currentKeyId;
    let resealed = 0;
    let skipped = 0;
    let after: string | undefined;
    for (;;) {
      const batch = await this.authorizations.findSealedWithOtherKey(keyId, after, BATCH);
      if (batch.length === 0) break;
      for (const row of batch) {
        const opened = this.secrets.open(row);
        const sealed = this.secrets.seal(row, opened.secret, opened.refreshToken);
        if (await this.authorizations.reseal(row, sealed)) resealed += 1;
        else skipped += 1;
      }
      after = batch[batch.length - 1].id;
    }
    const current = await this.authorizations.countSealedWith(keyId);
    const statesDropped = await this.states.deleteSealedWithOtherKey(keyId);
    return { keyId, resealed, skipped, alreadyCurrent: current - resealed, statesDropped };
  }
}
