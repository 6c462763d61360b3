/**
 * Token encryption keys.
 *   npm run keys -- generate     prints a new entry for TOKEN_ENCRYPTION_KEYS (put it first to make it current)
 *   npm run keys -- rotate       re-seals every stored secret with the first key (then old keys can go)
 *   node dist/git-auth/crypto/keys.cli.js init-file <path>
 *                                creates a key file once (docker-compose's key volume); never overwrites
 * `rotate` uses the service's own configuration (DATABASE_URL or the embedded database, the keys).
 */
import { NestFactory } from '@nestjs/core';
import { loadDotEnv } from '../../config/dotenv';
import { PrismaService } from '../../database/prisma.service';
import { AppModule } from '../../app.module';
import { AuthorizationSecrets } from './authorization-secrets';
import { createKeyFileOnce, newKeyEntry } from './load-key-ring';
import { rotateKeys } from './rotate-keys';
import { SecretSealer } from './secret-sealer';

async function main(command: string | undefined, path: string | undefined): Promise<void> {
  if (command === 'generate') {
    console.log(newKeyEntry('k'));
    return;
  }
  if (command === 'init-file' && path) {
    console.log(createKeyFileOnce(path, 'k') ? `Created ${path}` : `${path} exists; kept`);
    return;
  }
  if (command !== 'rotate') {
    console.error('usage: npm run keys -- generate | rotate | init-file <path>');
    process.exitCode = 2;
    return;
  }
  loadDotEnv();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['warn', 'error'] });
  try {
    const sealer = app.get(SecretSealer);
    const result = await rotateKeys(
      app.get(PrismaService),
      app.get(AuthorizationSecrets),
      sealer.currentKeyId,
    );
    console.log(
      `Key ${sealer.currentKeyId}: re-sealed ${result.resealed} authorization(s), ${result.skipped} changed meanwhile (run again), ${result.alreadyCurrent} already current, ` +
        `${result.statesDropped} pending OAuth state(s) dropped.`,
    );
  } finally {
    await app.close();
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
