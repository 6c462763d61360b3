import { createHash, randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Random, provider-shaped secrets. Shapes matter: services (and secret scanners) match on prefixes and lengths,
 * and Bitbucket's base64 tokens end in `=`, which breaks naive header/URL handling.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's format: prefix, 30 (ghr_: 70) random base62 characters and a 6-character base62 CRC32 of them,
 * 40 (80) characters in all.
 */
export function githubToken(prefix: 'ghp' | 'gho' | 'ghu' | 'ghr'): string {
  const random = randomBase62(prefix === 'ghr' ? 70 : 30);
  return `${prefix}_${random}${base62(crc32(random), 6)}`;
}

/** GitLab personal access token (the long-standing 20-character body). */
export function gitlabPersonalToken(): string {
  return `glpat-${randomBytes(15).toString('base64url')}`;
}

/** Bitbucket access tokens are long base64 strings ending in `=`. */
export function bitbucketAccessToken(): string {
  return `${randomBytes(96).toString('base64url')}=`;
}

/** Atlassian API tokens (used with the username over HTTP Basic, like app passwords). */
export function atlassianApiToken(): string {
  return `ATATT3xFfGF0${randomBytes(96).toString('base64url')}=${randomHex(4).toUpperCase()}`;
}

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export function isValidVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** A 32-byte SHA-256 in base64url is exactly 43 characters. */
export function isValidS256Challenge(challenge: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(challenge);
}

/** A stable fake UUID (Bitbucket user uuids) derived from a seed. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
