import { registerAs } from '@nestjs/config';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from '../common/validation/class-validator';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './project-root';
import { readEnv, ToBoolean, ToInteger } from './env';

class DatabaseEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  @ToBoolean()
  @IsBoolean()
  DB_MIGRATE_ON_START: boolean = true;

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_MAX: number = 10;

  /** Waiting for a pooled connection, a new connection included: a refused or frozen server fails this fast. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(60_000)
  DB_CONNECT_TIMEOUT_MS: number = 3_000;

  /**
   * Server-side statement_timeout; the client gives up on a statement 1 s later (a frozen server never answers,
   * and nothing else bounds a query on an open connection). The refresh's row-lock wait stays below it.
   */
  @ToInteger()
  @IsInt()
  @Min(500)
  @Max(600_000)
  DB_STATEMENT_TIMEOUT_MS: number = 5_000;

  /**
   * Server-side idle_in_transaction_session_timeout: a transaction left open by a stuck process is ended. The
   * refresh transaction, which stays idle while the provider answers, sets its own longer bound.
   */
  @ToInteger()
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: number = 10_000;

  /**
   * The hot statements are prepared once per connection. Off behind a pooler that does not keep named statements
   * per client (PgBouncer in transaction mode without max_prepared_statements, which it gained in 1.21): there,
   * requests fail with 'prepared statement "…" does not exist'.
   */
  @ToBoolean()
  @IsBoolean()
  DB_PREPARED_STATEMENTS: boolean = true;

  /**
   * At start-up (and for the command-line tools): how long to wait for DATABASE_URL to answer. A server still
   * starting is retried; one that accepts connections but never answers stops the start-up after this long.
   */
  @ToInteger()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  DB_STARTUP_TIMEOUT_MS: number = 30_000;

  @IsString()
  EMBEDDED_PG_DIR: string = '.data/postgres';

  /** Unset: the port used last time if still free, else any free port (remembered in the data folder). */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;
}

export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(DatabaseEnv, env);
  return {
    url: e.DATABASE_URL,
    migrateOnStart: e.DB_MIGRATE_ON_START,
    poolMax: e.DB_POOL_MAX,
    connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    /** Client side: a statement the server neither finished nor cancelled (frozen server, dead network). */
    queryTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS + 1_000,
    idleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    preparedStatements: e.DB_PREPARED_STATEMENTS,
    startupTimeoutMs: e.DB_STARTUP_TIMEOUT_MS,
    embedded: { dataDir: resolve(PROJECT_ROOT, e.EMBEDDED_PG_DIR), port: e.EMBEDDED_PG_PORT },
  };
}

export const databaseConfig = registerAs('database', () => loadDatabaseConfig());
export type DatabaseConfig = ReturnType<typeof loadDatabaseConfig>;
