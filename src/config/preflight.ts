import { readFileSync } from 'node:fs';
import { loadKeyRing } from '../git-auth/crypto/load-key-ring';
import { loadProvidersConfig } from '../git-auth/providers/providers.config';
import { loadAppConfig } from './app.config';
import { loadAuthConfig } from './auth.config';
import { loadCryptoConfig } from './crypto.config';
import { loadDatabaseConfig } from './database.config';
import { loadDocsConfig } from './docs.config';
import { loadGitAuthConfig } from './git-auth.config';
import { loadMetricsConfig } from './metrics.config';
import { loadRateLimitConfig } from './rate-limit.config';
import { loadTracingConfig } from './tracing.config';

const HEADER = 'Invalid configuration:\n';

/**
 * Checks the whole configuration before the service touches anything (the database, migrations, a port): every
 * namespace, the token keys when a database is configured (the embedded one makes its own), the files the
 * configuration names. Every problem is reported at once, each naming its variable.
 */
export function preflightConfiguration(env: NodeJS.ProcessEnv = process.env): void {
  const problems: string[] = [];
  const check = (load: () => unknown): void => {
    try {
      load();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(
        ...(message.startsWith(HEADER)
          ? message.slice(HEADER.length).split('\n')
          : [`  ${message}`]),
      );
    }
  };
  check(() => loadAppConfig(env));
  check(() => loadAuthConfig(env));
  check(() => loadRateLimitConfig(env));
  check(() => loadDocsConfig(env));
  check(() => loadMetricsConfig(env));
  check(() => loadTracingConfig(env));
  check(() => loadProvidersConfig(env));
  check(() => {
    const { caFile } = loadGitAuthConfig(env);
    if (caFile !== undefined) readNamedFile('GIT_CA_FILE', caFile);
  });
  check(() => {
    const database = loadDatabaseConfig(env);
    const crypto = loadCryptoConfig(env);
    // Without DATABASE_URL the embedded database creates a development key next to its data.
    if (database.url !== undefined || crypto.keys !== undefined || crypto.keysFile !== undefined)
      loadKeyRing(crypto);
  });
  if (problems.length > 0) throw new Error(`${HEADER}${problems.join('\n')}`);
}

function readNamedFile(variable: string, file: string): void {
  try {
    readFileSync(file);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`, {
      cause: error,
    });
  }
}
