import { TEST_TEMPLATE_VAR } from './test-database-server';
import { dropDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEST_TEMPLATE_VAR];
  if (template) await dropDatabase(template);
  await globalThis.__GIT_AUTH_TEST_SERVER_STOP__?.();
  globalThis.__GIT_AUTH_TEST_SERVER_STOP__ = undefined;
}
