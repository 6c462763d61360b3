/**
 * Runs an embedded PostgreSQL in its own process for DisposablePostgres (the package cannot be loaded inside
 * Jest's module system). Prints one JSON line once the server is ready; SIGTERM stops it cleanly.
 * Usage: node -r ts-node/register/transpile-only disposable-postgres.main.ts <dataDir> [port]
 */
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: port ? Number(port) : undefined,
    database: 'git_auth_faults',
    unsafeFast: true,
    onLog: () => undefined,
  });
  process.on('SIGTERM', () => void pg.stop().then(() => process.exit(0)));
  process.stdout.write(
    `${JSON.stringify({ url: pg.connectionString, pgdata: pg.pgdata, port: pg.port })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
