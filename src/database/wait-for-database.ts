import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { redactUrl } from '../common/redact-url';
import { describeDatabaseError } from './database-outage';

/** Answers that waiting does not change: wrong password or role, no such database, no permission to connect. */
const FINAL_SQLSTATES = new Set(['28P01', '28000', '3D000', '42501']);
const RETRY_EVERY_MS = 1_000;

export interface WaitingFields {
  readonly database: string;
  readonly cause: string;
  readonly timeoutMs: number;
}

/**
 * Waits until the database at `url` answers a query, for at most `timeoutMs` (DB_STARTUP_TIMEOUT_MS): a server
 * still starting (connection refused, "the database system is starting up") is retried every second, a server
 * that accepts connections but never answers runs into the bound. Fails at once on an answer waiting cannot
 * change (authentication, missing database). Errors name DATABASE_URL, with its password masked.
 */
export async function waitForDatabase(
  url: string,
  timeoutMs: number,
  onWaiting: (fields: WaitingFields) => void = (fields) =>
    new Logger('Database').warn({ msg: 'waiting for the database', ...fields }),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const where = `DATABASE_URL (${redactUrl(url)})`;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    const error = await probe(url, Math.max(1, remaining));
    if (error === undefined) return;
    const cause = describeDatabaseError(error);
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && FINAL_SQLSTATES.has(sqlState)) {
      throw new Error(`${where} refused the connection: ${cause}`);
    }
    if (Date.now() + RETRY_EVERY_MS >= deadline) {
      throw new Error(
        `${where} did not answer within ${timeoutMs} ms (DB_STARTUP_TIMEOUT_MS); last error: ${cause}`,
      );
    }
    if (attempt === 1) {
      onWaiting({ database: redactUrl(url), cause, timeoutMs });
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
  }
}

/** One connection and `SELECT 1` within `ms`; the error, or undefined when the database answered. */
async function probe(url: string, ms: number): Promise<unknown> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: ms,
    query_timeout: ms,
  });
  client.on('error', () => {}); // a failed probe is reported through its promise
  try {
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
    return undefined;
  } catch (error) {
    // A server that never answers would also never acknowledge a polite end: drop the socket.
    client.connection.stream.destroy();
    return error;
  }
}
