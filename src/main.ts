import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from './app.factory';
import { loadAppConfig } from './config/app.config';
import { PROJECT_ROOT } from './config/project-root';

async function bootstrap(): Promise<void> {
  const envFile = resolve(PROJECT_ROOT, '.env');
  // Variables already in the environment win over the file.
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const { port, host } = loadAppConfig();
  const app = await createApp();
  await app.listen(port, host);
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration); this is the one place that writes to stderr directly.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
