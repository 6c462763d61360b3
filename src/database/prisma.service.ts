import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseConfig, type DatabaseConfig } from '../config/database.config';
import { DatabaseConnection } from './database-connection';
import { PrismaClient } from './generated/prisma/client';

/** Closing the pool waits for the server to acknowledge; a frozen server must not hold the exit forever. */
const DISCONNECT_BOUND_MS = 5_000;

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly connection: DatabaseConnection,
    @Inject(databaseConfig.KEY) config: DatabaseConfig,
  ) {
    super({
      adapter: new PrismaPg({
        connectionString: connection.url,
        max: config.poolMax,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 30_000,
      }),
    });
  }

  /** A database that cannot be reached at start-up stops the start-up. */
  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  /**
   * The last step of shutdown: it runs after the HTTP server closed and background work drained
   * (Lifecycle.beforeApplicationShutdown), so no request or refresh loses its connection mid-transaction.
   */
  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DISCONNECT_BOUND_MS);
    });
    const outcome = await Promise.race([this.$disconnect().then(() => 'done' as const), bound]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn({
        msg: 'database did not close its connections in time',
        boundMs: DISCONNECT_BOUND_MS,
      });
    }
    await this.connection.close();
  }

  async isReachable(): Promise<boolean> {
    try {
      await this.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }
}
