import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { appConfig, type AppConfig } from '../../config/app.config';
import { BackgroundWork } from './background-work';

/**
 * serving: normal work. draining: readiness answers 503 so load balancers stop sending, requests are still
 * served (SHUTDOWN_DELAY_MS). closing: the listener is closed, requests arriving on open connections are refused
 * with 503, every response closes its connection, in-flight requests and background work finish.
 */
export type Phase = 'serving' | 'draining' | 'closing';

export interface ShutdownReport {
  readonly durationMs: number;
  /** Requests still running when the listener closed; all of them finished unless `cutRequests` > 0. */
  readonly inFlightAtClose: number;
  readonly cutRequests: number;
  readonly backgroundFinished: number;
  readonly backgroundAbandoned: readonly string[];
}

/**
 * The shutdown order, run by Nest before it disposes the HTTP adapter and calls the onApplicationShutdown hooks
 * (which close provider connections and then the database): readiness 503, stop accepting, let requests and
 * background work finish within SHUTDOWN_TIMEOUT_MS. Nothing here touches the database.
 */
@Injectable()
export class Lifecycle implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private current: Phase = 'serving';
  private inFlight = 0;
  private report?: ShutdownReport;

  constructor(
    private readonly background: BackgroundWork,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  get phase(): Phase {
    return this.current;
  }

  /** What the last shutdown did (for the final log line). */
  get lastShutdown(): ShutdownReport | undefined {
    return this.report;
  }

  /** Counts a request until its response is finished or its connection is gone. */
  requestStarted(onDone: (listener: () => void) => void): void {
    this.inFlight++;
    onDone(() => this.inFlight--);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.current !== 'serving') return;
    const started = Date.now();
    const deadline = started + this.config.shutdownTimeoutMs;
    this.current = 'draining';
    this.logger.log({
      msg: 'shutdown started',
      inFlightRequests: this.inFlight,
      backgroundWork: this.background.size,
      delayMs: this.config.shutdownDelayMs,
      timeoutMs: this.config.shutdownTimeoutMs,
    });
    if (this.config.shutdownDelayMs > 0) await sleep(this.config.shutdownDelayMs);
    this.current = 'closing';
    const inFlightAtClose = this.inFlight;
    const cutRequests = await this.closeHttp(deadline);
    const background = await this.background.drain(deadline);
    this.report = {
      durationMs: Date.now() - started,
      inFlightAtClose,
      cutRequests,
      backgroundFinished: background.finished,
      backgroundAbandoned: background.abandoned,
    };
    if (cutRequests > 0 || background.abandoned.length > 0) {
      this.logger.warn({
        msg: 'shutdown deadline reached: work was cut off',
        cutRequests,
        abandoned: background.abandoned,
      });
    }
  }

  /** Stops accepting and waits for the requests in flight; cuts what is left at the deadline. */
  private async closeHttp(deadline: number): Promise<number> {
    const fastify = this.adapterHost?.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return 0;
    const closed = fastify.close().then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    });
    const inTime = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (inTime) return 0;
    const cut = this.inFlight;
    fastify.server.closeAllConnections();
    await closed;
    return cut;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
