import { NestFactory } from '@nestjs/core';
import { createLogger } from '../common/logging/logger';
import { NestPinoLogger } from '../common/logging/nest-logger';
import { KeyRotation } from '../git-auth/crypto/key-rotation';
import { createKeyFileOnce, newKeyEntry } from '../git-auth/crypto/load-key-ring';
import { CliModule } from './cli.module';
import type { CliOutput } from './cli-output';

/** One new TOKEN_ENCRYPTION_KEYS entry, and nothing else, on stdout (so it can be piped into a secret store). */
export function generateKey(io: CliOutput): void {
  io.out(newKeyEntry('k'));
}

/** Creates a key file once (docker-compose's key volume); an existing file is kept. */
export function initKeyFile(path: string, io: CliOutput): void {
  io.out(createKeyFileOnce(path, 'k') ? `Created ${path}` : `${path} exists; kept`);
}

/** Re-seals every stored secret with the first key, with the service's own configuration. */
export async function rotateKeys(io: CliOutput): Promise<void> {
  const app = await NestFactory.createApplicationContext(CliModule, {
    logger: new NestPinoLogger(createLogger('warn', { write: (line: string) => io.err(line) })),
  });
  try {
    const r = await app.get(KeyRotation).rotate();
    io.out(
      `Key ${r.keyId}: re-sealed ${r.resealed} authorization(s), ${r.skipped} changed meanwhile (run again), ` +
        `${r.alreadyCurrent} already current, ${r.statesDropped} pending OAuth state(s) dropped.`,
    );
  } finally {
    await app.close();
  }
}
