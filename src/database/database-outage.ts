import { Injectable, Logger } from '@nestjs/common';

/** While the database is down, a reminder at most this often (each failed request is in the access log). */
export const REMINDER_INTERVAL_MS = 30_000;
/** While the database is down, how often to check whether it is back (also without traffic). */
export const PROBE_INTERVAL_MS = 1_000;

/** A short, secret-free description of why the database failed: no stack, no SQL, no connection string. */
export function describeDatabaseError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  };
  const cause = e.meta?.driverAdapterError?.cause;
  const parts = [
    typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : undefined,
    typeof cause?.kind === 'string' ? cause.kind : undefined,
    typeof cause?.originalCode === 'string' ? `SQLSTATE ${cause.originalCode}` : undefined,
    typeof e.message === 'string' ? e.message.trim().split('\n').at(-1)?.slice(0, 160) : undefined,
  ];
  return parts.filter((p) => p !== undefined && p !== '').join(': ');
}

/**
 * Turns a database outage into three kinds of log lines instead of a stack per request: one warning when it
 * starts, a reminder every REMINDER_INTERVAL_MS while it lasts, and one line when it ends. Once an outage is
 * seen, a probe checks every PROBE_INTERVAL_MS whether the database is back, so the end is logged even without
 * traffic; the pool reconnects by itself (no restart needed).
 */
@Injectable()
export class DatabaseOutage {
  private readonly logger = new Logger('Database');
  private since?: number;
  private failures = 0;
  private lastReminder = 0;
  private lastCause = '';
  private probeTimer?: NodeJS.Timeout;
  private probing?: Promise<void>;
  private stopped = false;
  private probe: () => Promise<boolean> = () => Promise.resolve(false);
  private recoveredAt?: number;
  private inFlightBoundMs = 0;
  private confirming?: Promise<void>;

  /**
   * Set by PrismaService: a bounded check that the database answers, and the longest a database call can take
   * before it fails (a connect, then a statement): a call started during an outage can still fail that long
   * after the database is back.
   */
  setProbe(probe: () => Promise<boolean>, inFlightBoundMs = 0): void {
    this.probe = probe;
    this.inFlightBoundMs = inFlightBoundMs;
  }

  get ongoing(): boolean {
    return this.since !== undefined;
  }

  /** A request failed because the database is unavailable. */
  failed(error: unknown, now = Date.now()): void {
    this.failures++;
    this.lastCause = describeDatabaseError(error);
    if (this.since !== undefined) return;
    if (this.recoveredAt !== undefined && now - this.recoveredAt < this.inFlightBoundMs) {
      // Likely a call from the outage just ended: a new outage only if the probe confirms it.
      this.confirm();
      return;
    }
    this.open(now);
  }

  private confirm(): void {
    this.confirming ??= this.probe().then((up) => {
      this.confirming = undefined;
      if (!up && this.since === undefined && !this.stopped) this.open(Date.now());
    });
  }

  private open(now: number): void {
    this.since = now;
    this.lastReminder = now;
    this.logger.warn({ msg: 'database unavailable', cause: this.lastCause });
    this.scheduleProbe();
  }

  private remindIfDue(now = Date.now()): void {
    if (this.since === undefined || now - this.lastReminder < REMINDER_INTERVAL_MS) return;
    this.lastReminder = now;
    this.logger.warn({
      msg: 'database still unavailable',
      forMs: now - this.since,
      failures: this.failures,
      cause: this.lastCause,
    });
  }

  /** The database answered. */
  succeeded(now = Date.now()): void {
    if (this.since === undefined) return;
    this.logger.log({
      msg: 'database available again',
      outageMs: now - this.since,
      failures: this.failures,
    });
    this.since = undefined;
    this.recoveredAt = now;
    this.failures = 0;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.probing = this.probe().then((up) => {
        this.probing = undefined;
        if (this.since === undefined || this.stopped) return;
        if (up) {
          this.succeeded();
        } else {
          this.remindIfDue();
          this.scheduleProbe();
        }
      });
    }, PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  /** No more probes; waits for one in flight (PrismaService calls this before it disconnects). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    await Promise.all([this.probing, this.confirming]);
  }
}
