import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type QueryResult } from 'pg';
import type { PoolStats } from '../common/metrics/metrics';
import { databaseConfig, type DatabaseConfig } from '../config/database.config';
import { DatabaseConnection } from './database-connection';
import { DatabaseConnectionLost, isSocketError, isStalePreparedStatement } from './database-errors';
import { DatabaseOutage } from './database-outage';
import { PrismaClient } from './generated/prisma/client';
import { QueryWatchdog, WATCH_INTERVAL_MS } from './query-watchdog';
import { type Statement, statement } from './statement';

const PROBE = statement('probe', 'SELECT 1');

/** Closing the pool waits for the server to acknowledge; a frozen server must not hold the exit forever. */
const DISCONNECT_BOUND_MS = 5_000;

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly probeTimeoutMs: number;
  /** Ours rather than the adapter's, so that its counts can be read (metrics); the adapter ends it on disconnect. */
  private readonly pool: Pool;
  private readonly watchdog: QueryWatchdog;
  private readonly prepare: boolean;

  constructor(
    private readonly connection: DatabaseConnection,
    @Inject(databaseConfig.KEY) config: DatabaseConfig,
    private readonly outage: DatabaseOutage,
  ) {
    const pool = new Pool({
      connectionString: connection.url,
      max: config.poolMax,
      // Every wait on the database is bounded: a pooled or new connection, a statement on the server, a
      // transaction left idle, and (the watchdog below) a statement on a connection whose server stopped answering.
      connectionTimeoutMillis: config.connectTimeoutMs,
      statement_timeout: config.statementTimeoutMs,
      idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    });
    // An idle pooled connection that breaks (the server restarted or crashed) is an outage signal too. Listened
    // to here, not through the adapter's onPoolError: the adapter attaches its listener only when the client
    // connects (on its first query), and the pool serves queryRows before that; a pool 'error' nobody listens
    // to would end the process.
    pool.on('error', (error) => outage.failed(error));
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    this.pool = pool;
    this.watchdog = new QueryWatchdog(pool, config.queryTimeoutMs);
    this.probeTimeoutMs = config.connectTimeoutMs;
    this.prepare = config.preparedStatements;
    outage.setProbe(
      () => this.isReachable(),
      config.connectTimeoutMs + config.queryTimeoutMs + WATCH_INTERVAL_MS,
    );
  }

  /**
   * A read sent straight to the pool, for the hot paths (list, credential, the OAuth flow's reads): Prisma's
   * client costs several times the query there (per-value type tags, timestamps re-parsed, a call-site Error per
   * query; issue 14's profiles). Parameterised SQL, prepared under the statement's name on each connection unless
   * DB_PREPARED_STATEMENTS is false; node-postgres' own parsing of the result (integers, bytea as Buffer). Only
   * the persistence layer calls it.
   */
  async queryRows<R>(statement: Statement, values: readonly unknown[]): Promise<R[]> {
    return (await this.send(statement, values)).rows as R[];
  }

  /** A statement sent straight to the pool, like queryRows: how many rows it changed. */
  async execute(statement: Statement, values: readonly unknown[]): Promise<number> {
    return (await this.send(statement, values)).rowCount ?? 0;
  }

  private async send(statement: Statement, values: readonly unknown[]): Promise<QueryResult> {
    const query = this.prepare
      ? { name: statement.name, text: statement.text, values: values as unknown[] }
      : { text: statement.text, values: values as unknown[] };
    // A migration that changed a statement's result columns makes every connection's prepared copy fail once.
    // Such a failure ran nothing, and the pool discards the connection on any error: retried, the statement
    // reaches a connection that prepares it afresh (at most one stale connection per pooled one).
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.pool.query(query);
      } catch (error) {
        // What the adapter reports as ConnectionClosed arrives here as the bare socket error.
        if (isSocketError(error)) throw new DatabaseConnectionLost(error);
        const stale = this.prepare && isStalePreparedStatement(error);
        if (!stale || attempt >= (this.pool.options.max ?? 0)) throw error;
      }
    }
  }

  poolStats(): PoolStats {
    const { pool } = this;
    return {
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max ?? 0,
    };
  }

  /**
   * No `$connect()` here: the database already answered at start-up (openDatabase waits for it and stops the
   * start-up when it cannot be reached), and connecting the client would instantiate Prisma's WebAssembly query
   * compiler, ~20 MiB and ~100–200 ms of CPU that the hot paths (plain SQL through `queryRows`), the probes and
   * a replica that only reads never need. The client connects on its first query instead (issue 14).
   */
  onModuleInit(): void {
    this.watchdog.start();
  }

  /**
   * The last step of shutdown: it runs after the HTTP server closed and background work drained
   * (Lifecycle.beforeApplicationShutdown), so no request or refresh loses its connection mid-transaction.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.outage.stop();
    if (!(await withinMs(this.disconnect(), DISCONNECT_BOUND_MS))) {
      this.logger.warn({
        msg: 'database did not close its connections in time',
        boundMs: DISCONNECT_BOUND_MS,
      });
    }
    this.watchdog.stop();
    await this.connection.close();
  }

  /** The client ends the pool only if it ever connected (it connects on its first query); else it is ended here. */
  private async disconnect(): Promise<void> {
    await this.$disconnect();
    if (!this.pool.ending) await this.pool.end();
  }

  /**
   * Whether the database answers within DB_CONNECT_TIMEOUT_MS (what readiness and the outage probe ask). Through
   * the pool the client's queries use, not the client itself, so that a probe does not load its query compiler.
   */
  async isReachable(): Promise<boolean> {
    return withinMs(this.queryRows(PROBE, []), this.probeTimeoutMs).catch(() => false);
  }
}

/** True when `work` settles in time, false when the bound passes first (its rejection is passed on). */
async function withinMs(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), bound]);
  } finally {
    clearTimeout(timer);
  }
}
