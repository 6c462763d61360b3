import { startTestDatabaseServer, TEST_SERVER_URL_VAR } from './test-database-server';

declare global {
  var __GIT_AUTH_TEST_SERVER_STOP__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  const server = await startTestDatabaseServer();
  globalThis.__GIT_AUTH_TEST_SERVER_STOP__ = server.stop;
  // Workers start after global setup and inherit this.
  process.env[TEST_SERVER_URL_VAR] = server.url;
}
