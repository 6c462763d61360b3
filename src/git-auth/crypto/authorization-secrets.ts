import type { Bytes, SealedSecrets } from '../domain/authorization';
import type { SecretSealer } from './secret-sealer';

interface RowIdentity {
  readonly projectId: string;
  readonly name: string;
}

/**
 * Seals the secrets of an authorization bound to its project and name (authenticated data), so a sealed
 * value moved to another row or field does not open. Names cannot change, so the binding is stable.
 */
export class AuthorizationSecrets {
  constructor(private readonly sealer: SecretSealer) {}

  seal(row: RowIdentity, secret: string, refreshToken?: string): SealedSecrets {
    const main = this.sealer.seal(secret, context(row, 'secret'));
    const refresh =
      refreshToken === undefined
        ? null
        : this.sealer.seal(refreshToken, context(row, 'refresh_token'));
    return {
      keyId: main.keyId,
      secretSealed: main.sealed,
      refreshTokenSealed: refresh?.sealed ?? null,
    };
  }

  /** The access token, personal token or password alone (the refresh token stays sealed). */
  openSecret(row: RowIdentity & Pick<SealedSecrets, 'keyId' | 'secretSealed'>): string {
    return this.sealer.unseal(row.keyId, row.secretSealed, context(row, 'secret'));
  }

  open(row: RowIdentity & SealedSecrets): { secret: string; refreshToken: string | undefined } {
    return {
      secret: this.sealer.unseal(row.keyId, row.secretSealed, context(row, 'secret')),
      refreshToken:
        row.refreshTokenSealed === null
          ? undefined
          : this.sealer.unseal(row.keyId, row.refreshTokenSealed, context(row, 'refresh_token')),
    };
  }

  sealVerifier(stateHash: Bytes, verifier: string): { keyId: string; sealed: Bytes } {
    return this.sealer.seal(verifier, `oauth-state/${Buffer.from(stateHash).toString('hex')}`);
  }

  openVerifier(stateHash: Bytes, keyId: string, sealed: Bytes): string {
    return this.sealer.unseal(
      keyId,
      sealed,
      `oauth-state/${Buffer.from(stateHash).toString('hex')}`,
    );
  }
}

function context(row: RowIdentity, field: string): string {
  return `authorization/${row.projectId}/${row.name}/${field}`;
}
