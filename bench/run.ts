/**
 * On-demand benchmark (`npm run bench`): the built service (dist/main.js) in its own process on 127.0.0.1,
 * loaded by autocannon from this process, against a real PostgreSQL (TEST_DATABASE_URL, else the embedded one)
 * and the fake providers. Every run is bounded (fixed duration per scenario) and stops by itself.
 * Results: a table on stdout and bench/results/latest.json. Numbers depend on the machine; compare runs on one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { startFakeProviders, USER } from '../test/support/providers';
import { createTestDatabase } from '../test/support/test-database';
import { startTestDatabaseServer, TEST_SERVER_URL_VAR } from '../test/support/test-database-server';
import { TEST_TOKEN_KEYS } from '../test/support/test-app';

const ROOT = resolve(__dirname, '..', '..');
const PROJECT = '0123456789abcdef0123456789abcdef';
const SEED = 100;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

interface Scenario {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
}

interface Result {
  readonly scenario: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly rssMiB: number;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Resident set and its peak, read from the kernel for the service process. */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('service not ready after 30 s');
}

async function main(): Promise<void> {
  const server = await startTestDatabaseServer();
  process.env[TEST_SERVER_URL_VAR] = server.url;
  const db = await createTestDatabase();
  const providers = await startFakeProviders();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUTH_MODE: 'none',
      TOKEN_ENCRYPTION_KEYS: TEST_TOKEN_KEYS,
      // The redirect scenario creates states as fast as it can; the limit is not what is measured.
      RATE_LIMIT_CREATE_PER_MINUTE: '1000000',
      ...providers.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const results: Result[] = [];
  try {
    await waitReady(base, child);
    for (let i = 0; i < SEED; i++) {
      const token = providers.fakes.gitlab.issuePersonalToken(USER);
      const res = await fetch(`${base}/v1/${PROJECT}/git/auths/gitlab/personal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `seed-${i}`, token }),
      });
      if (res.status !== 200) throw new Error(`seeding answered ${res.status}`);
    }
    const idle = memoryMiB(child.pid!);
    const scenarios: Scenario[] = [
      {
        name: `GET list (${SEED} authorizations)`,
        method: 'GET',
        path: `/v1/${PROJECT}/git/auths`,
      },
      {
        name: 'POST credential (personal token)',
        method: 'POST',
        path: `/v1/${PROJECT}/git/auths/seed-7/credential`,
      },
      {
        name: 'GET redirect (new OAuth state)',
        method: 'GET',
        path: `/v1/${PROJECT}/git/auths/github/redirect`,
      },
      { name: 'GET /health', method: 'GET', path: '/health' },
    ];
    for (const scenario of scenarios) {
      const run = await autocannon({
        url: `${base}${scenario.path}`,
        method: scenario.method,
        connections: CONNECTIONS,
        duration: DURATION_SECONDS,
      });
      results.push({
        scenario: scenario.name,
        requestsPerSecond: Math.round(run.requests.average),
        p50Ms: run.latency.p50,
        p99Ms: run.latency.p99,
        non2xx: run.non2xx,
        errors: run.errors,
        rssMiB: Math.round(memoryMiB(child.pid!).rss),
      });
    }
    const peak = memoryMiB(child.pid!).peak;
    console.log(
      `\n${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario; idle RSS ${Math.round(idle.rss)} MiB, peak ${Math.round(peak)} MiB\n`,
    );
    console.log('| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | RSS MiB |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(
        `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} | ${r.rssMiB} |`,
      );
    }
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench', 'results', 'latest.json'),
      `${JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, idleRssMiB: idle.rss, peakRssMiB: peak, results }, null, 2)}\n`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await providers.stop();
    await db.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
