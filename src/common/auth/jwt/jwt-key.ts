import { createPublicKey, type KeyObject } from 'node:crypto';

type JwtAlgorithm = 'RS256' | 'ES256' | 'HS256';

/** The key X-Auth-Token JWTs are verified with, and the one algorithm that key allows. */
export interface JwtKey {
  readonly key: KeyObject | Uint8Array;
  readonly algorithm: JwtAlgorithm;
}

/** Shorter HMAC secrets can be brute-forced from a single token (RFC 7518 section 3.2). */
const MIN_JWT_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;

/** Why a key was refused; never contains key material. */
export class JwtKeyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JwtKeyError';
  }
}

/**
 * A PEM `PUBLIC KEY` (SPKI): RSA of at least 2048 bits verifies RS256, EC P-256 verifies ES256. Pinning the
 * algorithm to the key type is what keeps a token from choosing it (`alg: none`, HS256 keyed with the PEM).
 * `\n` escapes are accepted because PEMs often travel in one-line environment variables.
 */
export function publicJwtKey(pemText: string): JwtKey {
  const pem = pemText.includes('\n') ? pemText : pemText.replace(/\\n/g, '\n');
  if (!/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----$/.test(pem.trim())) {
    throw new JwtKeyError(
      'must be a PEM public key (-----BEGIN PUBLIC KEY-----), not a private key or certificate',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new JwtKeyError('is not a readable PEM public key');
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS) {
    return { key, algorithm: 'RS256' };
  }
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
    return { key, algorithm: 'ES256' };
  }
  throw new JwtKeyError(
    `must be an RSA key of at least ${MIN_RSA_BITS} bits (RS256) or an EC P-256 key (ES256)`,
  );
}

export function secretJwtKey(secret: string): JwtKey {
  const key = new TextEncoder().encode(secret);
  if (key.length < MIN_JWT_SECRET_BYTES) {
    throw new JwtKeyError(`must be at least ${MIN_JWT_SECRET_BYTES} bytes`);
  }
  return { key, algorithm: 'HS256' };
}
