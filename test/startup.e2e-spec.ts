import { createServer, type Server, type Socket } from 'node:net';
import { redactUrl } from '../src/common/redact-url';
import { freePort } from './support/free-port';
import { TcpProxy } from './support/tcp-proxy';
import { serviceEnv, startServiceProcess, type ServiceProcess } from './support/service-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const DB_PASSWORD = 'do-not-print-me';

/** A TCP server on 127.0.0.1 that accepts connections and never answers: a hung database. */
class HungServer {
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    this.connections++;
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function exitOf(service: ServiceProcess): Promise<number | null> {
  try {
    return await service.exited;
  } finally {
    service.kill();
  }
}

/** The entry point's start-up, in processes of their own: what is checked first, what is waited for, and how long. */
// Each test starts the built service as a process of its own: on a loaded 2-core machine one start alone has
// taken over 20 s, so the default 30 s would fail these tests for the machine's sake, not the service's.
jest.setTimeout(120_000);

describe('start-up', () => {
  let hung: HungServer;
  let hungUrl: string;

  beforeAll(async () => {
    hung = new HungServer();
    const port = await hung.start();
    hungUrl = `postgresql://git_auth:${DB_PASSWORD}@127.0.0.1:${port}/git_auth`;
  });

  afterAll(() => hung.stop());

  it('checks the whole configuration before touching the database, reporting every problem', async () => {
    const port = await freePort();
    const service = startServiceProcess({
      ...serviceEnv(hungUrl, port),
      TOKEN_ENCRYPTION_KEYS: '',
      DB_MIGRATE_ON_START: 'true',
      GITHUB_CLIENT_ID: 'half-configured',
      METRICS_PORT: 'nine',
    });
    expect(await exitOf(service)).toBe(1);
    const stderr = service.stderr();
    expect(stderr).toMatch(/^git-auth-service did not start: Invalid configuration:/);
    expect(stderr).toContain('TOKEN_ENCRYPTION_KEYS: required with DATABASE_URL');
    expect(stderr).toContain('GITHUB_CLIENT_SECRET: required when GITHUB_CLIENT_ID is set');
    expect(stderr).toContain('METRICS_PORT');
    expect(hung.connections).toBe(0);
  });

  it('a database that accepts connections but never answers stops the start-up after DB_STARTUP_TIMEOUT_MS, naming DATABASE_URL without its password', async () => {
    const before = hung.connections;
    const port = await freePort();
    const service = startServiceProcess({
      ...serviceEnv(hungUrl, port),
      DB_STARTUP_TIMEOUT_MS: '1500',
    });
    expect(await exitOf(service)).toBe(1);
    expect(hung.connections).toBeGreaterThan(before);
    const redacted = hungUrl.replace(DB_PASSWORD, '***');
    expect(service.stderr()).toContain(
      `git-auth-service did not start: DATABASE_URL (${redacted}) did not answer within 1500 ms (DB_STARTUP_TIMEOUT_MS)`,
    );
    const everything = service.stderr() + JSON.stringify(service.lines);
    expect(everything).not.toContain(DB_PASSWORD);
    expect(service.lines.some((l) => l.msg.startsWith('listening'))).toBe(false);
  });

  describe('with a real database', () => {
    let db: TestDatabase;

    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    it('waits for a database that is not up yet, then starts', async () => {
      const target = new URL(db.url);
      const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      const proxyPort = await freePort();
      const url = new URL(db.url);
      url.port = String(proxyPort);
      const service = startServiceProcess({
        ...serviceEnv(url.toString(), await freePort()),
        DB_STARTUP_TIMEOUT_MS: '60000',
      });
      try {
        // Nothing listens yet (connection refused), as while a database container starts.
        while (!service.lines.some((l) => l.msg === 'waiting for the database')) {
          if (service.child.exitCode !== null) throw new Error(service.stderr());
          await new Promise((r) => setTimeout(r, 50));
        }
        await proxy.start(proxyPort);
        await service.listening();
        expect(await new Promise((r) => setTimeout(() => r(service.child.exitCode), 100))).toBe(
          null,
        );
      } finally {
        service.kill();
        await proxy.stop();
      }
    });

    it('logs "listening" only once the port is bound; a port in use exits 1 with one clear line', async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      const service = startServiceProcess(serviceEnv(db.url, port));
      try {
        expect(await exitOf(service)).toBe(1);
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
      const fatal = service.lines.filter((l) => l.level === 60);
      expect(fatal).toEqual([
        expect.objectContaining({
          msg: `cannot listen on 127.0.0.1:${port} (HOST, PORT): EADDRINUSE`,
        }),
      ]);
      expect(service.lines.some((l) => /listening|successfully started/.test(l.msg))).toBe(false);
    });

    it('says once it listens which providers and tags, database, authentication, metrics and tracing it runs with', async () => {
      const port = await freePort();
      const service = startServiceProcess({
        ...serviceEnv(db.url, port),
        GITLAB_CLIENT_ID: 'lab-client',
        GITLAB_CLIENT_SECRET: 'lab-secret-value',
        GITLAB_REDIRECT_URI: 'https://console.example.com/cb',
        GITLAB_INTL_CLIENT_ID: 'lab-intl-client',
      });
      try {
        const listening = await service.listening();
        expect(listening).toMatchObject({
          msg: `listening on http://127.0.0.1:${port}`,
          providers: ['github', 'gitlab', 'gitee', 'bitbucket', 'gitea'],
          oauthTags: { gitlab: ['(untagged)', 'intl'] },
          // The URL with its password masked (the embedded test database has one; the CI server has none).
          database: redactUrl(db.url),
          auth: 'none',
          metrics: "/metrics on the service's port, open",
          tracing: 'off',
        });
        expect(JSON.stringify(service.lines)).not.toContain('lab-secret-value');
        service.child.kill('SIGTERM');
        expect(await service.exited).toBe(0);
        expect(service.lines.at(-1)).toMatchObject({ msg: 'shutdown complete', exitStatus: 0 });
      } finally {
        service.kill();
      }
    });
  });
});
