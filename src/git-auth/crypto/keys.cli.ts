/**
 * Token encryption keys.
 *   npm run keys -- generate     prints a new entry for TOKEN_ENCRYPTION_KEYS (put it first to make it current)
 *   npm run keys -- rotate       re-seals every stored secret with the first key (then old keys can go)
 * `rotate` uses the service's own configuration (DATABASE_URL or the embedded database, the keys).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { PROJECT_ROOT } from '../../config/project-root';
import { PrismaService } from '../../database/prisma.service';
import { AppModule } from '../../app.module';
import { AuthorizationSecrets } from './authorization-secrets';
import { rotateKeys } from './rotate-keys';
import { SecretSealer } from './secret-sealer';

async function main(command: string | undefined): Promise<void> {
  if (command === 'generate') {
    const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    console.log(`${id}:${randomBytes(32).toString('base64')}`);
    return;
  }
  if (command !== 'rotate') {
    console.error('usage: npm run keys -- generate | rotate');
    process.exitCode = 2;
    return;
  }
  const envFile = resolve(PROJECT_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['warn', 'error'] });
  try {
    const sealer = app.get(SecretSealer);
    const result = await rotateKeys(app.get(PrismaService), app.get(AuthorizationSecrets), sealer.currentKeyId);
    console.log(
      `Key ${sealer.currentKeyId}: re-sealed ${result.resealed} authorization(s), ${result.alreadyCurrent} already current, ` +
        `${result.statesDropped} pending OAuth state(s) dropped.`,
    );
  } finally {
    await app.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
