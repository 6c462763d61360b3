import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { clusterProcesses } from '../../src/database/embedded-postgres';

interface Started {
  url: string;
  pgdata: string;
  port: number;
}

const MAIN = resolve(__dirname, 'disposable-postgres.main.ts');
const ROOT = resolve(__dirname, '..', '..');

/**
 * A PostgreSQL of the test's own (never the machine's shared server), so that it can be stopped, crashed and
 * frozen: the embedded server in a temporary directory, run by a small process of its own, restarted on the
 * same port.
 */
export class DisposablePostgres {
  private constructor(
    private readonly dir: string,
    private runner: ChildProcess,
    private started: Started,
  ) {}

  static async start(): Promise<DisposablePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'git-auth-faults-'));
    const [runner, started] = await DisposablePostgres.boot(dir);
    return new DisposablePostgres(dir, runner, started);
  }

  private static boot(dir: string, port?: number): Promise<[ChildProcess, Started]> {
    const runner = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', MAIN, dir, ...(port ? [String(port)] : [])],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        runner.kill('SIGKILL');
        reject(new Error('embedded PostgreSQL did not start within 60 s'));
      }, 60_000);
      runner.once('exit', (code) =>
        reject(new Error(`embedded PostgreSQL runner exited (${code})`)),
      );
      createInterface({ input: runner.stdout }).once('line', (line) => {
        clearTimeout(timer);
        resolvePromise([runner, JSON.parse(line) as Started]);
      });
    });
  }

  get url(): string {
    return this.started.url;
  }

  private get postmaster(): number {
    return Number(readFileSync(join(this.started.pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  private exited(): Promise<void> {
    const runner = this.runner;
    if (runner.exitCode !== null || runner.signalCode !== null) return Promise.resolve();
    return new Promise((resolvePromise) => runner.once('exit', () => resolvePromise()));
  }

  /** A clean stop (fast shutdown): connections are closed, new ones refused. */
  async stop(): Promise<void> {
    const exited = this.exited();
    this.runner.kill('SIGTERM');
    await exited;
  }

  /** An immediate shutdown, as in a crash: every backend dies at once, transactions in flight included. */
  async crash(): Promise<void> {
    const exited = this.exited();
    process.kill(this.postmaster, 'SIGQUIT');
    // The runner notices nothing; it goes once its server is gone.
    await new Promise((r) => setTimeout(r, 500));
    this.runner.kill('SIGKILL');
    await exited;
  }

  /** Every process of the server stopped (SIGSTOP): connections stay open, nothing answers. */
  freeze(): void {
    this.signalAll('SIGSTOP');
  }

  thaw(): void {
    this.signalAll('SIGCONT');
  }

  private signalAll(signal: NodeJS.Signals): void {
    for (const pid of clusterProcesses(this.started.pgdata)) {
      try {
        process.kill(pid, signal);
      } catch {
        // exited meanwhile
      }
    }
  }

  /** Starts the server again on the same port and data. */
  async restart(): Promise<void> {
    [this.runner, this.started] = await DisposablePostgres.boot(this.dir, this.started.port);
  }

  async destroy(): Promise<void> {
    this.thaw();
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
