import { createHash } from 'node:crypto';
import type { Bytes } from './authorization';

/** States are stored only as their SHA-256: a database dump cannot complete anyone's flow. */
export function hashState(state: string): Bytes {
  return createHash('sha256').update(state, 'utf8').digest();
}

/**
 * The PKCE S256 challenge of a verifier (RFC 7636 §4.2): BASE64URL(SHA-256(verifier)). node:crypto's hash is
 * synchronous; WebCrypto's digest (oauth4webapi's calculatePKCECodeChallenge) goes through a job on the thread
 * pool and cost the redirect about 5 % of an OAuth flow's CPU (issue 14).
 */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
