import type { Pool, PoolClient } from 'pg';

/** node-postgres' message for a statement that got no answer in time; database-errors.ts knows it as an outage. */
export const QUERY_READ_TIMEOUT = 'Query read timeout';
/** How often the pool's connections are looked at: a hung statement fails within its bound plus this. */
export const WATCH_INTERVAL_MS = 250;

/** The part of a node-postgres client the watchdog reads: the statement on the wire, if any (pg 8). */
interface WatchedClient {
  readonly _activeQuery?: object | null;
  readonly connection: { readonly stream: { destroy(error?: Error): void } };
}

interface Watch {
  query: object | null;
  since: number;
}

/**
 * Bounds every statement on the pool, the hot reads' and Prisma's alike, when the server stops answering (a
 * frozen server or network: statement_timeout never fires there). One timer for the whole pool looks at what each
 * connection has on the wire; a statement still there after `boundMs` fails with node-postgres' own "Query read
 * timeout", and its connection is destroyed, as a crashed server's would be (the pool replaces it).
 *
 * It replaces node-postgres' query_timeout, which arms a timer per statement: under load those timers kept every
 * in-flight result alive through young-generation collections, which made garbage collection the largest cost
 * of the list (issue 14's profiles).
 */
export class QueryWatchdog {
  private readonly watched = new Map<WatchedClient, Watch>();
  private timer?: NodeJS.Timeout;

  constructor(
    pool: Pool,
    private readonly boundMs: number,
    private readonly now: () => number = Date.now,
  ) {
    pool.on('connect', (client: PoolClient) => {
      this.watched.set(client, { query: null, since: 0 });
    });
    pool.on('remove', (client: PoolClient) => {
      this.watched.delete(client);
    });
  }

  start(intervalMs = WATCH_INTERVAL_MS): void {
    this.timer ??= setInterval(() => this.check(), intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at every connection; public for the unit test's clock. */
  check(): void {
    const now = this.now();
    for (const [client, watch] of this.watched) {
      const query = client._activeQuery ?? null;
      if (query === null || query !== watch.query) {
        // Idle, or a new statement since the last look: its clock starts now (never earlier than it began).
        watch.query = query;
        watch.since = now;
      } else if (now - watch.since >= this.boundMs) {
        this.watched.delete(client);
        client.connection.stream.destroy(new Error(QUERY_READ_TIMEOUT));
      }
    }
  }
}
