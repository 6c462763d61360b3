import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';

export type ArmName = 'service' | 'raw';
export const ARMS: readonly ArmName[] = ['service', 'raw'];

/** dist-bench/bench/lib → the checkout. */
const ROOT = join(__dirname, '..', '..', '..');
const ENTRY: Readonly<Record<ArmName, string>> = {
  service: join(ROOT, 'dist', 'main.js'),
  raw: join(ROOT, 'dist-bench', 'bench', 'raw', 'main.js'),
};
const PROFILER_PRELOAD = join(__dirname, 'profiler-preload.js');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningArm {
  readonly name: ArmName;
  readonly pid: number;
  readonly base: string;
  readonly child: ChildProcess;
  /** Spawn to the first 200 of GET /health. */
  readonly startMs: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Loads the profiler hook (an IPC channel controls it); `fromStart` profiles the start-up itself. */
  readonly profiler?: { readonly fromStart: boolean };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object'
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function healthy(base: string): Promise<boolean> {
  try {
    const response = await request(`${base}/health`, { headersTimeout: 1_000, bodyTimeout: 1_000 });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

/**
 * Starts an arm on a free loopback port and waits (polling every 5 ms, at most a minute) for its first 200
 * on GET /health. Both arms get the same environment.
 */
export async function startArm(
  name: ArmName,
  env: Readonly<Record<string, string>>,
  options: SpawnOptions = {},
): Promise<RunningArm> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = options.profiler ? ['--require', PROFILER_PRELOAD, ENTRY[name]] : [ENTRY[name]];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(options.profiler?.fromStart ? { BENCH_PROFILE_FROM_START: '1' } : {}),
      ...(options.profiler && process.env.BENCH_PROFILE_INTERVAL_US
        ? { BENCH_PROFILE_INTERVAL_US: process.env.BENCH_PROFILE_INTERVAL_US }
        : {}),
    },
    stdio: options.profiler
      ? ['ignore', 'ignore', 'inherit', 'ipc']
      : ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const deadline = started + START_TIMEOUT_MS;
  while (!(await healthy(base))) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} at start`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer GET /health within ${START_TIMEOUT_MS} ms`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - started;
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return { name, pid: child.pid, base, child, startMs, stop };
}
