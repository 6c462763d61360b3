import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { LogLine } from './logs';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
const REPORT_MODULES = join(__dirname, 'report-loaded-modules.ts');

/**
 * The service started the way production starts it (`node dist/main.js`: main.ts, its order of tracing and
 * loading, signals, exit status), from the sources through ts-node, in a process of its own. Nothing of the
 * developer's shell configuration is passed on: only PATH and `env`.
 */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** JSON log lines (stdout), as they arrive. */
  readonly lines: LogLine[];
  /** What the process wrote to stderr. */
  stderr(): string;
  readonly exited: Promise<number | null>;
  /** The `listening` line, once the port is bound (rejects when the process exits first or within `ms`). */
  listening(ms?: number): Promise<LogLine>;
  /** SIGKILL if still running (test clean-up). */
  kill(): void;
}

export function startServiceProcess(
  env: Record<string, string>,
  options: { reportLoadedModulesTo?: string } = {},
): ServiceProcess {
  const preload = ['-r', 'ts-node/register/transpile-only'];
  if (options.reportLoadedModulesTo) preload.push('-r', REPORT_MODULES);
  const child = spawn(process.execPath, [...preload, MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      ...(options.reportLoadedModulesTo
        ? { REPORT_LOADED_MODULES: options.reportLoadedModulesTo }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // not a log line
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolveExit) =>
    // 'close', not 'exit': by then every line the process wrote has been read.
    child.once('close', (code) => resolveExit(code)),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    async listening(ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = lines.find((l) => l.msg.startsWith('listening on '));
        if (line) return line;
        if (child.exitCode !== null)
          throw new Error(`the service exited (${child.exitCode}) before listening: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`the service did not listen within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The environment of a service with authentication off, on 127.0.0.1 and a free port, over `databaseUrl`. */
export function serviceEnv(databaseUrl: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    DB_MIGRATE_ON_START: 'false',
    TOKEN_ENCRYPTION_KEYS: `test-1:${Buffer.alloc(32, 7).toString('base64')}`,
    AUTH_MODE: 'none',
    HOST: '127.0.0.1',
    PORT: String(port),
  };
}
