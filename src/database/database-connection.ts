/** The PostgreSQL the service talks to: the configured server, or the embedded one it started itself. */
export class DatabaseConnection {
  constructor(
    readonly url: string,
    readonly embedded: boolean,
    private readonly stop: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Stops the embedded server (nothing for a configured one); PrismaService calls it after disconnecting. */
  async close(): Promise<void> {
    await this.stop();
  }
}
