import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { parseKeyRing, type KeyRing } from './key-ring';

interface KeySource {
  /** TOKEN_ENCRYPTION_KEYS */
  keys?: string;
  /** TOKEN_ENCRYPTION_KEYS_FILE: the same format in a file (Docker/Kubernetes secrets). */
  keysFile?: string;
  /** Set when the service runs on its embedded PostgreSQL: where a development key may be created. */
  embeddedDataDir?: string;
}

export const EMBEDDED_KEY_FILE = 'token-encryption-keys';

/**
 * The keys that seal tokens at rest. A server database without configured keys stops start-up: a key made up
 * here would be lost with the container and every stored secret with it. The embedded (development) database
 * gets a key file created once next to its data, so `npm start` works with zero set-up.
 */
export function loadKeyRing(source: KeySource, logger = new Logger('TokenKeys')): KeyRing {
  if (source.keys) return parseKeyRing(source.keys, 'TOKEN_ENCRYPTION_KEYS');
  if (source.keysFile)
    return parseKeyRing(
      readKeyFile(source.keysFile),
      `TOKEN_ENCRYPTION_KEYS_FILE (${source.keysFile})`,
    );
  if (source.embeddedDataDir) {
    const file = join(source.embeddedDataDir, EMBEDDED_KEY_FILE);
    if (createKeyFileOnce(file)) {
      logger.warn({
        msg: 'TOKEN_ENCRYPTION_KEYS is not set: created a development key next to the embedded database; set TOKEN_ENCRYPTION_KEYS in production',
        file,
      });
    }
    return parseKeyRing(readKeyFile(file), file);
  }
  throw new Error(
    'Invalid configuration:\n  TOKEN_ENCRYPTION_KEYS: required with DATABASE_URL (id:base64key[,…], 32-byte keys; ' +
      'e.g. "k1:$(openssl rand -base64 32)"), or TOKEN_ENCRYPTION_KEYS_FILE naming a file with that content',
  );
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read token encryption keys from ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * `<prefix><yyyymmdd>-<6 random hex>:<32 random bytes, base64>`, one TOKEN_ENCRYPTION_KEYS entry. The date says
 * how old a key is; the random part keeps two keys made on one day apart (ids must be unique in the ring).
 */
export function newKeyEntry(prefix: string): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `${prefix}${day}-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;
}

/** Exclusive create: two processes starting at once cannot both write a different key. */
export function createKeyFileOnce(file: string, prefix = 'dev-'): boolean {
  mkdirSync(join(file, '..'), { recursive: true });
  try {
    writeFileSync(file, `${newKeyEntry(prefix)}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
