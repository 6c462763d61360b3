export default async function globalTeardown(): Promise<void> {
  await globalThis.__GIT_AUTH_TEST_SERVER_STOP__?.();
  globalThis.__GIT_AUTH_TEST_SERVER_STOP__ = undefined;
}
