import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BackgroundWork } from '../common/lifecycle/background-work';
import { OAuthStateRepository } from './persistence/oauth-state.repository';

const INTERVAL_MS = 5 * 60 * 1000;
const BATCH = 1000;
const MAX_BATCHES_PER_RUN = 20;

/** Deletes expired OAuth states every few minutes, in bounded batches; any replica may do it. */
@Injectable()
export class OAuthStateJanitor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OAuthStateJanitor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly states: OAuthStateRepository,
    private readonly background: BackgroundWork,
  ) {}

  onModuleInit(): void {
    // Tracked, so that a sweep running at shutdown finishes before the database closes.
    this.timer = setInterval(
      () =>
        this.background.run('expired OAuth states sweep', async () => void (await this.sweep())),
      INTERVAL_MS,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<number> {
    let total = 0;
    try {
      for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
        const deleted = await this.states.deleteExpired(now, BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
      if (total > 0) this.logger.debug({ msg: 'expired OAuth states deleted', count: total });
    } catch (error) {
      this.logger.warn({
        msg: 'cleaning expired OAuth states failed',
        error: (error as Error).message,
      });
    }
    return total;
  }
}
