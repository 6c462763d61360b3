import 'reflect-metadata';
import { createApp } from './app.factory';
import { appConfig, type AppConfig } from './config/app.config';
import { loadDotEnv } from './config/dotenv';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  const app = await createApp();
  const { port, host } = app.get<AppConfig>(appConfig.KEY);
  await app.listen(port, host);
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration); this is the one place that writes to stderr directly.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
