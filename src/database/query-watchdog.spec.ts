import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import { isDatabaseUnavailableError } from './database-errors';
import { QueryWatchdog } from './query-watchdog';

/** A pooled connection as the watchdog sees it: the statement on the wire, and a stream that can be cut. */
class FakeClient {
  _activeQuery: object | null = null;
  destroyedWith?: Error;
  readonly connection = { stream: { destroy: (error?: Error) => (this.destroyedWith = error) } };
}

describe('QueryWatchdog', () => {
  let pool: EventEmitter;
  let clock: number;
  let watchdog: QueryWatchdog;
  const connect = () => {
    const client = new FakeClient();
    pool.emit('connect', client);
    return client;
  };

  beforeEach(() => {
    pool = new EventEmitter();
    clock = 0;
    watchdog = new QueryWatchdog(pool as unknown as Pool, 6_000, () => clock);
  });

  it('cuts a connection whose statement has been on the wire for the bound, with an outage error', () => {
    const client = connect();
    client._activeQuery = {};
    watchdog.check();
    clock = 5_999;
    watchdog.check();
    expect(client.destroyedWith).toBeUndefined();
    clock = 6_000;
    watchdog.check();
    expect(client.destroyedWith?.message).toBe('Query read timeout');
    expect(isDatabaseUnavailableError(client.destroyedWith)).toBe(true);
  });

  it('starts the clock again for each new statement and leaves idle connections alone', () => {
    const busy = connect();
    const idle = connect();
    for (let step = 0; step < 20; step++) {
      busy._activeQuery = {};
      watchdog.check();
      clock += 1_000;
    }
    expect(busy.destroyedWith).toBeUndefined();
    expect(idle.destroyedWith).toBeUndefined();
  });

  it('never counts time from before a statement was first seen', () => {
    const client = connect();
    watchdog.check();
    clock = 10_000;
    client._activeQuery = {};
    watchdog.check();
    clock = 15_000;
    watchdog.check();
    expect(client.destroyedWith).toBeUndefined();
  });

  it('forgets connections the pool removed, and cuts a connection once', () => {
    const removed = connect();
    removed._activeQuery = {};
    pool.emit('remove', removed);
    const hung = connect();
    hung._activeQuery = {};
    watchdog.check();
    clock = 20_000;
    watchdog.check();
    expect(removed.destroyedWith).toBeUndefined();
    const first = hung.destroyedWith;
    expect(first).toBeDefined();
    hung.destroyedWith = undefined;
    clock = 40_000;
    watchdog.check();
    expect(hung.destroyedWith).toBeUndefined();
  });
});
