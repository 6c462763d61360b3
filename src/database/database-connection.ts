/** The PostgreSQL the service talks to: the configured server, or the embedded one it started itself. */
export class DatabaseConnection {
  constructor(
    readonly url: string,
    readonly embedded: boolean,
    private readonly stop: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Runs after Prisma has disconnected (onModuleDestroy comes before onApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
