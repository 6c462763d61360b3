import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../support/free-port';
import type { LogLine } from '../support/logs';
import { factsOf, KINDS, startFakeProviders, USER, type FakeProviders } from '../support/providers';
import { expireStoredToken, storedTokens, type StoredTokens } from '../support/stored-tokens';
import { TEST_TOKEN_KEYS } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const MAIN = resolve(__dirname, '..', '..', 'dist', 'main.js');
const PROJECT = '0123456789abcdef0123456789abcdef';
const BASE = `/v1/${PROJECT}/git/auths`;
/** The callers' wait (PROVIDER_TIMEOUT_MS) and the provider's delay of a refresh answer, well after it. */
const CALLER_WAIT_MS = 1_000;
const HELD_MS = 3_000;
/** Every provider whose refresh tokens die when used (from the fakes' stated facts). */
const ROTATING = KINDS.filter((kind) => factsOf(kind).rotatesRefreshTokens);

interface Service {
  readonly url: string;
  readonly lines: LogLine[];
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
}

/** The built service (node dist/main.js) in a process of its own, as production runs it. */
async function startService(env: Record<string, string>): Promise<Service> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: npm run test:reliability builds it first`);
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      AUTH_MODE: 'none',
      TOKEN_ENCRYPTION_KEYS: TEST_TOKEN_KEYS,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Service['lines'] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // not a log line
    }
  });
  // 'close', not 'exit': by then every line the process wrote has been read.
  const exited = new Promise<number | null>((resolveExit) => child.once('close', resolveExit));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('the service did not become ready within 30 s');
    }
    await sleep(100);
  }
  return { url, lines, process: child, exited };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The exit status, or 'hung' when the process has not exited within `ms`. */
async function exitWithin(service: Service, ms: number): Promise<number | null | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => {
    timer = setTimeout(() => r('hung'), ms);
  });
  try {
    const status = await Promise.race([service.exited, hung]);
    if (status === 'hung') service.process.kill('SIGKILL');
    return status;
  } finally {
    clearTimeout(timer);
  }
}

async function call(url: string, method: string, body?: object) {
  const res = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    json: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
  };
}

/**
 * SIGTERM to a real process: readiness 503 first, then the listener closes, in-flight requests and background
 * work (revocations, refreshes whose callers stopped waiting) finish, the database closes, one summary line, exit
 * status 0; past SHUTDOWN_TIMEOUT_MS work is cut off and the status is 1.
 */
describe('reliability: shutdown of the built service on SIGTERM', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  const measured: Record<string, unknown>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    providers = await startFakeProviders();
  });

  afterAll(async () => {
    console.log(`shutdown:\n${measured.map((m) => JSON.stringify(m)).join('\n')}`);
    await providers?.stop();
    await db?.drop();
  });

  async function connect(service: Service, kind: string, name: string): Promise<void> {
    const redirect = await call(`${service.url}${BASE}/${kind}/redirect`, 'GET');
    const { code, state } = await providers.fakes[kind].authorize(String(redirect.json.url), USER);
    const res = await call(`${service.url}${BASE}/${kind}/oauth`, 'POST', { name, code, state });
    expect(res.status).toBe(200);
  }

  const connectGitLab = (service: Service, name: string) => connect(service, 'gitlab', name);

  it('drains a refresh in flight and a background revocation, then exits 0', async () => {
    const service = await startService({
      DATABASE_URL: db.url,
      SHUTDOWN_DELAY_MS: '600',
      SHUTDOWN_TIMEOUT_MS: '10000',
      PROVIDER_TIMEOUT_MS: '5000',
      ...providers.env,
    });
    const gitlab = providers.fakes.gitlab;
    gitlab.accessTokenTtlSeconds = 60;
    await connectGitLab(service, 'refresh-at-sigterm');
    gitlab.accessTokenTtlSeconds = 7200;
    await connectGitLab(service, 'delete-at-sigterm');
    const refreshesBefore = gitlab.refreshCount();

    gitlab.failNext('revoke', { delayMs: 1_500 });
    expect((await call(`${service.url}${BASE}/delete-at-sigterm`, 'DELETE')).status).toBe(204);
    gitlab.failNext('token', { delayMs: 1_500 });
    const inFlight = call(`${service.url}${BASE}/refresh-at-sigterm/credential`, 'POST');
    await sleep(200);

    const signalled = Date.now();
    service.process.kill('SIGTERM');
    await sleep(150);
    const ready = await call(`${service.url}/health/ready`, 'GET');
    await sleep(900);
    const refused = await fetch(`${service.url}/health`).then(
      () => false,
      () => true,
    );
    const status = await exitWithin(service, 15_000);
    const exitMs = Date.now() - signalled;
    const credential = await inFlight;
    const messages = service.lines.map((l) => l.msg);
    const last = service.lines.at(-1);
    measured.push({
      scenario: 'drain',
      exitStatus: status,
      sigtermToExitMs: exitMs,
      readinessAfterSigterm: ready.status,
      inFlightCredential: credential.status,
      refreshesAtProvider: gitlab.refreshCount() - refreshesBefore,
      revocationsAtProvider: gitlab.calls('revoke').length,
      summary: last,
    });

    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({
      error_code: 'SVCSTG.REPO.0503',
      error_msg: 'This instance is shutting down',
    });
    expect(refused).toBe(true);
    expect(status).toBe(0);
    expect(credential.status).toBe(200);
    expect(gitlab.refreshCount() - refreshesBefore).toBe(1);
    expect(gitlab.calls('revoke')).toHaveLength(1);
    expect(last).toMatchObject({ msg: 'shutdown complete', exitStatus: 0, cutRequests: 0 });
    expect(messages.indexOf('shutdown started')).toBeLessThan(messages.indexOf('revoked upstream'));
    expect(service.lines.filter((l) => l.level >= 50)).toEqual([]); // parsed from stdout
  }, 60_000);

  it('a refresh held by the provider at SIGTERM, its caller already answered 504, is stored before exit 0 (every provider that rotates refresh tokens)', async () => {
    const env = {
      DATABASE_URL: db.url,
      PROVIDER_TIMEOUT_MS: String(CALLER_WAIT_MS),
      REFRESH_TIMEOUT_MS: '10000',
      SHUTDOWN_TIMEOUT_MS: '15000',
      ...providers.env,
    };
    const service = await startService(env);
    const name = (kind: string) => `${kind}-held-at-sigterm`;
    const before: Record<string, StoredTokens> = {};
    const refreshes: Record<string, number> = {};
    for (const kind of ROTATING) {
      const fake = providers.fakes[kind];
      fake.useExpiringTokens(60); // below CREDENTIAL_MIN_TTL_SECONDS: the next credential call refreshes
      try {
        await connect(service, kind, name(kind));
      } finally {
        fake.useUsualTokens();
      }
      before[kind] = await storedTokens(db.url, PROJECT, name(kind));
      refreshes[kind] = fake.refreshCount();
    }

    for (const kind of ROTATING) providers.fakes[kind].failNext('token', { delayMs: HELD_MS });
    const sent = Date.now();
    const callers = await Promise.all(
      ROTATING.map((kind) => call(`${service.url}${BASE}/${name(kind)}/credential`, 'POST')),
    );
    const callersMs = Date.now() - sent;
    // Every caller has its 504; only the refreshes are left, held by the providers.
    const signalled = Date.now();
    service.process.kill('SIGTERM');
    const status = await exitWithin(service, 30_000);
    const exitMs = Date.now() - signalled;
    const after = Object.fromEntries(
      await Promise.all(
        ROTATING.map(async (kind) => [kind, await storedTokens(db.url, PROJECT, name(kind))]),
      ),
    ) as Record<string, StoredTokens>;
    const last = service.lines.at(-1);
    measured.push({
      scenario: 'refresh held at SIGTERM, callers gone',
      providers: ROTATING,
      heldMs: HELD_MS,
      callerStatuses: callers.map((c) => c.status),
      callersAnsweredAfterMs: callersMs,
      sigtermToExitMs: exitMs,
      sendToExitMs: Date.now() - sent,
      exitStatus: status,
      rotatedPairsStored: ROTATING.filter(
        (kind) =>
          after[kind].accessToken !== before[kind].accessToken &&
          after[kind].refreshToken !== before[kind].refreshToken,
      ).length,
      summary: last,
    });

    expect(callers.map((c) => c.json.error_code)).toEqual(ROTATING.map(() => 'SVCSTG.REPO.0504'));
    expect(status).toBe(0);
    expect(last).toMatchObject({ msg: 'shutdown complete', exitStatus: 0, cutRequests: 0 });
    expect(last?.backgroundFinished).toBeGreaterThanOrEqual(ROTATING.length);
    expect(service.lines.filter((l) => l.level >= 50)).toEqual([]);
    for (const kind of ROTATING) {
      expect(after[kind].status).toBe(0);
      expect(after[kind].accessToken).not.toBe(before[kind].accessToken);
      expect(after[kind].refreshToken).not.toBe(before[kind].refreshToken);
      expect(providers.fakes[kind].refreshCount() - refreshes[kind]).toBe(1);
    }

    // The next instance hands out the stored tokens without refreshing, and refreshes with the stored ones.
    const next = await startService(env);
    try {
      for (const kind of ROTATING) {
        const res = await call(`${next.url}${BASE}/${name(kind)}/credential`, 'POST');
        expect(res.status).toBe(200);
        expect(res.json.token).toBe(after[kind].accessToken);
        expect(providers.fakes[kind].refreshCount() - refreshes[kind]).toBe(1);
        await expireStoredToken(db.url, PROJECT, name(kind));
        expect((await call(`${next.url}${BASE}/${name(kind)}/credential`, 'POST')).status).toBe(
          200,
        );
        expect(providers.fakes[kind].refreshCount() - refreshes[kind]).toBe(2);
      }
    } finally {
      next.process.kill('SIGTERM');
      expect(await exitWithin(next, 15_000)).toBe(0);
    }
  }, 90_000);

  it('cuts off what outlives SHUTDOWN_TIMEOUT_MS, says so, and exits 1 in bounded time', async () => {
    const service = await startService({
      DATABASE_URL: db.url,
      SHUTDOWN_TIMEOUT_MS: '1500',
      PROVIDER_TIMEOUT_MS: '20000',
      ...providers.env,
    });
    providers.fakes.github.failNext('user', { delayMs: 10_000 });
    const stuck = call(`${service.url}${BASE}/github/personal`, 'POST', {
      name: 'stuck-at-sigterm',
      token: providers.fakes.github.issuePersonalToken(USER),
    }).catch(() => ({ status: 0, json: {} }));
    await sleep(300);
    const signalled = Date.now();
    service.process.kill('SIGTERM');
    const status = await exitWithin(service, 15_000);
    const exitMs = Date.now() - signalled;
    const cut = await stuck;
    measured.push({
      scenario: 'deadline',
      exitStatus: status,
      sigtermToExitMs: exitMs,
      stuckRequest: cut.status,
      summary: service.lines.at(-1),
    });

    expect(status).toBe(1);
    expect(exitMs).toBeLessThan(1_500 + 5_000);
    expect(cut.status).toBe(0);
    expect(service.lines.map((l) => l.msg)).toContain(
      'shutdown deadline reached: work was cut off',
    );
    expect(service.lines.at(-1)).toMatchObject({
      msg: 'shutdown complete',
      exitStatus: 1,
      cutRequests: 1,
    });
  }, 60_000);
});
