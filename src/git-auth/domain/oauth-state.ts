import { createHash } from 'node:crypto';
import type { Bytes } from './authorization';

/** States are stored only as their SHA-256: a database dump cannot complete anyone's flow. */
export function hashState(state: string): Bytes {
  return createHash('sha256').update(state, 'utf8').digest();
}
