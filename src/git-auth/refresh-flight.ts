import type { StoredAuthorization } from './domain/authorization';

interface Waiter {
  readonly joinedAt: number;
  readonly resolve: (row: StoredAuthorization) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
}

type Outcome = { readonly row: StoredAuthorization } | { readonly error: unknown };

/**
 * One refresh in progress in this process, as its callers see it. Every caller waits for its outcome, but for
 * the provider only `providerTimeoutMs` (counted from the request, or from when the caller joined if later),
 * then gets `giveUp()`'s error; and not for the retries that store the provider's answer after the database
 * failed (the caller gets that failure at once). The refresh itself goes on either way: `done` settles when it
 * is over.
 */
export class RefreshFlight {
  readonly done: Promise<StoredAuthorization>;
  /** Whether a caller stopped waiting before the refresh was over. */
  outlivedCaller = false;
  private readonly waiters = new Set<Waiter>();
  private sentAt?: number;
  private answered = false;
  private failedEarly?: { readonly error: Error };
  private outcome?: Outcome;

  constructor(
    run: (flight: RefreshFlight) => Promise<StoredAuthorization>,
    private readonly providerTimeoutMs: number,
    private readonly giveUp: () => unknown,
  ) {
    this.done = run(this);
    this.done.then(
      (row) => this.settle({ row }),
      (error: unknown) => this.settle({ error }),
    );
  }

  wait(): Promise<StoredAuthorization> {
    return new Promise((resolve, reject) => {
      if (this.outcome) return settleWaiter({ resolve, reject }, this.outcome);
      if (this.failedEarly) return reject(this.failedEarly.error);
      const waiter: Waiter = { joinedAt: Date.now(), resolve, reject };
      this.waiters.add(waiter);
      if (this.sentAt !== undefined && !this.answered) this.arm(waiter);
    });
  }

  /** The token request is on its way: from now on the provider's time counts. */
  requestSent(): void {
    this.sentAt = Date.now();
    for (const waiter of this.waiters) this.arm(waiter);
  }

  /** The provider answered (or failed): what is left is the database's, bounded by its own timeouts. */
  providerAnswered(): void {
    this.answered = true;
    for (const waiter of this.waiters) clearTimeout(waiter.timer);
  }

  /** Storing the answer failed and is being retried: callers get the failure now (a database outage). */
  storeFailed(error: unknown): void {
    this.failedEarly = { error: error instanceof Error ? error : new Error(String(error)) };
    if (this.waiters.size > 0) this.outlivedCaller = true;
    this.release((waiter) => waiter.reject(error));
  }

  private arm(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const from = Math.max(waiter.joinedAt, this.sentAt ?? waiter.joinedAt);
    waiter.timer = setTimeout(
      () => {
        this.waiters.delete(waiter);
        this.outlivedCaller = true;
        waiter.reject(this.giveUp());
      },
      Math.max(0, from + this.providerTimeoutMs - Date.now()),
    );
  }

  private settle(outcome: Outcome): void {
    this.outcome = outcome;
    this.release((waiter) => settleWaiter(waiter, outcome));
  }

  private release(settle: (waiter: Waiter) => void): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      settle(waiter);
    }
    this.waiters.clear();
  }
}

function settleWaiter(waiter: Pick<Waiter, 'resolve' | 'reject'>, outcome: Outcome): void {
  if ('row' in outcome) waiter.resolve(outcome.row);
  else waiter.reject(outcome.error);
}
