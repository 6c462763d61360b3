import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';

export interface TestKeyPair {
  /** SPKI PEM, as AUTH_JWT_PUBLIC_KEY takes it. */
  readonly publicPem: string;
  readonly privateKey: KeyObject;
}

function pair({ publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject }) {
  return { publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

export function rsaKeyPair(modulusLength = 2048): TestKeyPair {
  return pair(generateKeyPairSync('rsa', { modulusLength }));
}

export function ecKeyPair(namedCurve = 'P-256'): TestKeyPair {
  return pair(generateKeyPairSync('ec', { namedCurve }));
}

export function ed25519KeyPair(): TestKeyPair {
  return pair(generateKeyPairSync('ed25519'));
}

export interface SignOptions {
  alg: 'RS256' | 'ES256' | 'HS256' | 'PS256';
  key: KeyObject | Uint8Array;
  /** Seconds from now; negative for an expired token; `null` for no `exp` at all. */
  expiresIn?: number | null;
}

/** A signed JWT, as an identity provider would issue it. */
export async function signJwt(claims: JWTPayload, options: SignOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg, typ: 'JWT' })
    .setIssuedAt(now)
    .setSubject(typeof claims.sub === 'string' ? claims.sub : 'test-user');
  const expiresIn = options.expiresIn === undefined ? 300 : options.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(now + expiresIn);
  return jwt.sign(options.key);
}

/** `alg: none`: a token anyone can write. */
export function unsecuredJwt(claims: JWTPayload): string {
  return new UnsecuredJWT(claims).setExpirationTime('5m').encode();
}
