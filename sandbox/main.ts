import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadAppConfig } from '../src/config/app.config';
import { createLogger } from '../src/common/logging/logger';
import { SANDBOX_APP_PASSWORD, SANDBOX_PERSONAL_TOKEN } from '../src/git-auth/dto/examples';
import { loadSandboxConfig } from './sandbox.config';
import { isProviderSetting, startSandbox } from './sandbox';
import { SANDBOX_USERS } from './seed';

/**
 * The development entry (`npm run start:local`): with SANDBOX_PROVIDERS=true it starts sandbox providers and
 * configures the service for them, then runs the production build, dist/main.js, in this process. Never part
 * of the production image.
 */

/** The checkout, from dist-sandbox/sandbox/. */
const ROOT = resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  // The service reads .env too; read it first so that the sandbox sees (and overrides) the same settings.
  const dotEnv = resolve(ROOT, '.env');
  if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  const config = loadSandboxConfig();
  if (config.enabled) {
    const { port, logLevel } = loadAppConfig();
    if (port === 0)
      throw new Error('SANDBOX_PROVIDERS=true needs a fixed PORT: the providers redirect to it');
    const callbackUrl = `http://127.0.0.1:${port}/oauth/callback`;
    const sandbox = await startSandbox({ callbackUrl, firstPort: config.firstPort });
    // Emptied rather than deleted: the service's own .env reading must not bring them back.
    const replaced = Object.keys(process.env).filter((k) => isProviderSetting(k) && process.env[k]);
    for (const key of replaced) process.env[key] = '';
    Object.assign(process.env, sandbox.env);
    createLogger(logLevel).warn(
      {
        sandbox: Object.fromEntries(sandbox.providers.map((p) => [p.repoType, p.url])),
        users: SANDBOX_USERS.map((u) => u.login),
        personalToken: SANDBOX_PERSONAL_TOKEN,
        appPassword: SANDBOX_APP_PASSWORD,
        callbackPage: callbackUrl,
        ...(replaced.length > 0 ? { ignoredSettings: replaced } : {}),
      },
      `SANDBOX PROVIDERS: ${sandbox.providers.map((p) => p.displayName).join(', ')} here are FAKE servers ` +
        'on 127.0.0.1, not the real providers: anyone can sign in as anyone. Development only ' +
        '(SANDBOX_PROVIDERS=false turns them off). Try it: Swagger UI at /docs, showRedirectUrl, open the URL.',
    );
  }
  // The production build, unchanged: the sandbox only set its environment.
  await import(pathToFileURL(resolve(ROOT, 'dist', 'main.js')).href);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
