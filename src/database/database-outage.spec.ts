import { Logger } from '@nestjs/common';
import {
  DatabaseOutage,
  describeDatabaseError,
  PROBE_INTERVAL_MS,
  REMINDER_INTERVAL_MS,
} from './database-outage';

describe('DatabaseOutage', () => {
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const messages = (spy: jest.SpyInstance) =>
    spy.mock.calls.map(([m]) => (m as { msg: string }).msg);

  it('logs one warning when an outage starts, reminders at most every 30 s, one line when it ends', async () => {
    const outage = new DatabaseOutage();
    let up = false;
    outage.setProbe(() => Promise.resolve(up));

    for (let i = 0; i < 100; i++) outage.failed(new Error('Connection terminated unexpectedly'));
    expect(messages(warn)).toEqual(['database unavailable']);
    expect(outage.ongoing).toBe(true);

    // The probe runs every second; a reminder comes only after 30 s.
    await jest.advanceTimersByTimeAsync(REMINDER_INTERVAL_MS - PROBE_INTERVAL_MS);
    expect(messages(warn)).toEqual(['database unavailable']);
    await jest.advanceTimersByTimeAsync(2 * PROBE_INTERVAL_MS);
    expect(messages(warn)).toEqual(['database unavailable', 'database still unavailable']);
    expect(warn).toHaveBeenLastCalledWith(expect.objectContaining({ failures: 100 }));

    up = true;
    await jest.advanceTimersByTimeAsync(PROBE_INTERVAL_MS);
    expect(messages(log)).toEqual(['database available again']);
    expect(log).toHaveBeenLastCalledWith(expect.objectContaining({ failures: 100 }));
    expect(outage.ongoing).toBe(false);

    // A new outage is a new warning.
    outage.failed(new Error('Query read timeout'));
    expect(messages(warn).at(-1)).toBe('database unavailable');
    await outage.stop();
  });

  it('does not take a call from the outage just ended, failing after the recovery, for a new outage', async () => {
    const outage = new DatabaseOutage();
    let up = false;
    outage.setProbe(() => Promise.resolve(up), 5_000);
    outage.failed(new Error('Connection terminated unexpectedly'));
    up = true;
    await jest.advanceTimersByTimeAsync(PROBE_INTERVAL_MS);
    expect(messages(log)).toEqual(['database available again']);

    // A connect started during the outage times out after it: the probe finds the database up.
    outage.failed(new Error('Connection terminated due to connection timeout'));
    await jest.advanceTimersByTimeAsync(0);
    expect(messages(warn)).toEqual(['database unavailable']);
    expect(outage.ongoing).toBe(false);

    // The database really is gone again: the probe confirms it, one warning.
    up = false;
    outage.failed(new Error('Connection terminated unexpectedly'));
    outage.failed(new Error('Connection terminated unexpectedly'));
    await jest.advanceTimersByTimeAsync(0);
    expect(messages(warn)).toEqual(['database unavailable', 'database unavailable']);
    expect(outage.ongoing).toBe(true);

    // Past the bound, a failure opens an outage at once, as before.
    up = true;
    await jest.advanceTimersByTimeAsync(PROBE_INTERVAL_MS);
    await jest.advanceTimersByTimeAsync(5_000);
    outage.failed(new Error('Query read timeout'));
    expect(messages(warn)).toHaveLength(3);
    await outage.stop();
  });

  it('describes errors without stack, SQL or connection string', () => {
    const prismaError = Object.assign(
      new Error(
        "\nInvalid `prisma.authorization.findMany()` invocation:\n\nCan't reach database server",
      ),
      {
        code: 'P1001',
        meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
      },
    );
    expect(describeDatabaseError(prismaError)).toBe(
      "P1001: DatabaseNotReachable: Can't reach database server",
    );
    expect(describeDatabaseError(new Error('Query read timeout'))).toBe(
      'Error: Query read timeout',
    );
  });
});
