import { startFakeProviders, type FakeProviders } from './providers';
import { startTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface Stack {
  readonly db: TestDatabase;
  readonly providers: FakeProviders;
  readonly t: TestApp;
  stop(): Promise<void>;
}

/** A fresh database, the four fake providers, and the service configured for them (authentication off). */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const db = await createTestDatabase();
  const providers = await startFakeProviders();
  const t = await startTestApp({
    DATABASE_URL: db.url,
    AUTH_MODE: 'none',
    ...providers.env,
    ...env,
  });
  return {
    db,
    providers,
    t,
    stop: async () => {
      await t.close();
      await providers.stop();
      await db.drop();
    },
  };
}
