import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { KeyRing } from './key-ring';
import { randomBytes } from './random-bytes';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Sealed {
  readonly keyId: string;
  readonly sealed: Buffer<ArrayBuffer>;
}

export class UnsealError extends Error {
  constructor(reason: string) {
    super(`cannot unseal secret: ${reason}`);
    this.name = 'UnsealError';
  }
}

/**
 * AES-256-GCM. Layout: version (1) | iv (12) | tag (16) | ciphertext. The context (e.g. project, name and field
 * of the row) is authenticated data, so a sealed value copied into another row or field does not open.
 */
export class SecretSealer {
  constructor(private readonly keys: KeyRing) {}

  get currentKeyId(): string {
    return this.keys.current.id;
  }

  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.keys.current.id,
      sealed: Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]),
    };
  }

  unseal(keyId: string, sealed: Uint8Array, context: string): string {
    const key = this.keys.byId(keyId);
    if (!key) throw new UnsealError(`key "${keyId}" is not in TOKEN_ENCRYPTION_KEYS`);
    const data = Buffer.from(sealed);
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== VERSION)
      throw new UnsealError('unknown format');
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new UnsealError('authentication failed (wrong key, context or corrupted data)');
    }
  }
}
