import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of the test PostgreSQL: closing it cuts every connection and refuses new
 * ones, which is what a database outage looks like to the service.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<void> {
    const server = createServer((client) => {
      this.track(client);
      // Frozen: the connection is accepted and then nothing ever comes back.
      if (this.frozen) return;
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    this.port = address.port;
  }

  /**
   * A hung server: open connections stop carrying anything in either direction, new ones are accepted and never
   * answered (what a frozen database or a black-holed network looks like). `thaw()` undoes it for new connections.
   */
  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  /** Cuts every connection and stops listening. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A URL like `databaseUrl` but through this proxy. */
  rewrite(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }
}
