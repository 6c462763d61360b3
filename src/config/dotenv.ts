import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './project-root';

/** Reads the checkout's .env, if any, for the entry points; variables already in the environment win. */
export function loadDotEnv(): void {
  const file = resolve(PROJECT_ROOT, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
