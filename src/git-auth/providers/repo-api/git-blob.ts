import { createHash } from 'node:crypto';

/** The git object id of a file's content: SHA-1 of `blob <size>\0<bytes>`, what `git hash-object` prints. */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
