import { randomFillSync } from 'node:crypto';

/** Refilled whole from the CSPRNG when the next request does not fit. */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * Cryptographically random bytes, served from a pool that one `randomFillSync` refills: on Node.js 20 (OpenSSL 3)
 * every `randomBytes` or `getRandomValues` call costs about 5 µs whatever its size, a slice of the pool about
 * 0.2 µs, and an OAuth flow takes five (its state, the PKCE verifier, three AES-GCM IVs). Node.js keeps such a
 * pool for `randomUUID` for the same reason. Each byte is handed out once, as a copy, and wiped from the pool.
 */
export function randomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0 || size > POOL_BYTES)
    throw new RangeError(`randomBytes: size must be an integer from 0 to ${POOL_BYTES}`);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.allocUnsafe(size);
  pool.copy(bytes, 0, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}

/** 256 random bits, base64url: an OAuth `state` or PKCE `code_verifier` (RFC 7636 §4.1), as oauth4webapi makes them. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
