import { Injectable, Logger } from '@nestjs/common';

export interface DrainResult {
  /** Work that settled while draining. */
  readonly finished: number;
  /** What was still running when the deadline came (by the names it was tracked with). */
  readonly abandoned: readonly string[];
}

/**
 * Work that outlives the request that started it (upstream revocations, and refreshes that must finish even
 * when their caller stopped waiting). Shutdown drains it after the HTTP server stopped and before the database
 * closes, so nothing that was started is cut off by our own exit.
 */
@Injectable()
export class BackgroundWork {
  private readonly logger = new Logger(BackgroundWork.name);
  private readonly pending = new Map<Promise<unknown>, string>();
  private finishedWhileDraining = 0;
  private draining = false;

  /** How many tracked promises have not settled yet. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Tracks `work` until it settles and returns it unchanged, so a caller may still await it (or race it against
   * its own deadline) while shutdown knows it exists. A rejection is the caller's to handle, as with any promise;
   * work nobody awaits should handle its own failures (see `run`).
   */
  track<T>(what: string, work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.set(settled, what);
    void settled.then(() => {
      this.pending.delete(settled);
      if (this.draining) this.finishedWhileDraining++;
    });
    return work;
  }

  /** Starts fire-and-forget work; a failure is logged (without a stack: it is expected to be an outage). */
  run(what: string, work: () => Promise<void>): void {
    const started = Promise.resolve()
      .then(work)
      .catch((error: unknown) =>
        this.logger.warn({
          msg: 'background work failed',
          what,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    void this.track(what, started);
  }

  /**
   * Waits until nothing is pending (work started meanwhile included) or `deadline` (epoch ms) has passed.
   * Never rejects.
   */
  async drain(deadline: number): Promise<DrainResult> {
    this.draining = true;
    this.finishedWhileDraining = 0;
    while (this.pending.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
      await Promise.race([Promise.all(this.pending.keys()), timeout]);
      clearTimeout(timer);
    }
    return { finished: this.finishedWhileDraining, abandoned: [...this.pending.values()] };
  }
}
