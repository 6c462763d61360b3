import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../support/free-port';
import { TEST_TOKEN_KEYS } from '../../support/test-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** What `npm run start:local` runs, built by `npm run build:sandbox` (which `npm run test:browser` runs first). */
export const DEV_ENTRY = resolve(__dirname, '..', '..', '..', 'dist-sandbox', 'sandbox', 'main.js');

export const PROJECT = '0123456789abcdef0123456789abcdef';

export interface DevEntry {
  readonly url: string;
  /** Every line it wrote to stdout and stderr, raw. */
  readonly output: string[];
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs the development entry in a process of its own, as a developer does, with `env` on top of the defaults. */
export function spawnDevEntry(
  env: Record<string, string>,
): Omit<DevEntry, 'url' | 'stop'> & { child: ChildProcess } {
  if (!existsSync(DEV_ENTRY))
    throw new Error(`${DEV_ENTRY} is missing: run the browser tests with npm run test:browser`);
  const child = spawn(process.execPath, [DEV_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      TOKEN_ENCRYPTION_KEYS: TEST_TOKEN_KEYS,
      LOG_LEVEL: 'info',
      AUTH_MODE: 'none',
      SANDBOX_PROVIDERS: 'true',
      SANDBOX_PORT: '0',
      DOCS_ENABLED: 'true',
      REDIS_URL: '',
      RATE_LIMIT_CREATE_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => output.push(line));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  return { child, output, exited };
}

/** The development entry with the sandbox on, a database of its own, ready to serve. */
export async function startDevEntry(env: Record<string, string> = {}): Promise<DevEntry> {
  const db: TestDatabase = await createTestDatabase();
  const port = await freePort();
  const { child, output, exited } = spawnDevEntry({
    PORT: String(port),
    DATABASE_URL: db.url,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await db.drop();
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, output, exited, stop };
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`the development entry did not become ready:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
