/**
 * The raw reference: the service's hot paths (list, redirect, oauth, credential) written with node:http, a `pg`
 * Pool, undici and node:crypto only, on the service's own tables, for the benchmark to compare against
 * (`npm run bench`). Not a product: it exists to show what the runtime costs without a framework.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { createHandler } from './app';
import { loadRawConfig } from './config';
import { GitHubClient } from './github';
import { CreationLimiter } from './rate-limit';
import { AuthorizationSecrets, parseKeyRing, SecretSealer } from './service-parts';

async function main(): Promise<void> {
  const config = loadRawConfig();
  const pool = new Pool({
    connectionString: config.databaseUrl,
    max: config.poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) =>
    console.error(JSON.stringify({ msg: 'idle client failed', err: String(error) })),
  );
  // Like the service, a database that cannot be reached stops the start-up.
  await pool.query('SELECT 1');
  const github = new GitHubClient(config.providerTimeoutMs);
  const limiter = new CreationLimiter(config.createPerMinute);
  const secrets = new AuthorizationSecrets(
    new SecretSealer(parseKeyRing(config.tokenKeys, 'TOKEN_ENCRYPTION_KEYS')),
  );
  const handler = createHandler({
    pool,
    secrets,
    github,
    apps: config.github,
    limiter,
    bodyLimitBytes: config.bodyLimitBytes,
    stateTtlSeconds: config.stateTtlSeconds,
    credentialMinTtlSeconds: config.credentialMinTtlSeconds,
  });
  // Fastify's keep-alive timeout, so both arms keep client connections alike.
  const server = createServer({ keepAliveTimeout: 72_000 }, handler);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  process.once('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
    limiter.close();
    void Promise.all([pool.end(), github.close()]);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
