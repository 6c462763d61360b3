import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsConfig, type MetricsConfig } from '../../config/metrics.config';

/** Prefix of the service's own series (process and Node.js series keep their standard names). */
const PREFIX = 'git_auth_';
/** Requests of this API take milliseconds; the upper buckets catch a slow database or provider behind them. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Provider calls cross the internet: tens of milliseconds up to PROVIDER_TIMEOUT_MS (10 s by default). */
const PROVIDER_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What a provider call ended in: the answer's status class, or why there was none. */
export type ProviderCallOutcome = '2xx' | '3xx' | '4xx' | '5xx' | 'timeout' | 'refused' | 'error';

/** What a token refresh at a provider ended in. */
export type RefreshOutcome = 'success' | 'rejected' | 'timeout' | 'error';

export interface PoolStats {
  /** Connections open, busy or idle. */
  readonly total: number;
  readonly idle: number;
  /** Queries waiting for a connection. */
  readonly waiting: number;
  readonly max: number;
}

type HttpHistogram = Histogram<'route' | 'method' | 'status'>;

/**
 * One route's request series. The histogram child of each status is made once and kept, so that observing a
 * request is a map lookup and prom-client's observe (labels are not re-validated or re-hashed per request).
 */
export class RouteSeries {
  private readonly byStatus = new Map<number, Histogram.Internal<string>>();

  constructor(
    private readonly histogram: HttpHistogram,
    private readonly route: string,
    private readonly method: string,
  ) {}

  observe(status: number, seconds: number): void {
    let child = this.byStatus.get(status);
    if (child === undefined) {
      child = this.histogram.labels(this.route, this.method, String(status));
      this.byStatus.set(status, child);
    }
    child.observe(seconds);
  }
}

/**
 * CPU, memory, event loop and garbage collection belong to the process, not to one application: collected once
 * per process (tests build many applications in one), shown by every application's /metrics.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The service's Prometheus metrics. Label values come from bounded sets only: route templates (never a raw
 * URL), methods, statuses, registered repo types, operation names and outcomes — never a project id, an
 * authorization name or a host a caller chose.
 */
@Injectable()
export class Metrics {
  readonly enabled: boolean;
  private readonly registry = new Registry();
  private readonly http: HttpHistogram;
  private readonly providerCalls: Histogram<'provider' | 'operation' | 'outcome'>;
  private readonly refreshes: Counter<'provider' | 'outcome'>;
  private poolWatched = false;

  constructor(@Inject(metricsConfig.KEY) config: MetricsConfig) {
    this.enabled = config.enabled;
    const registers = [this.registry];
    this.http = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'HTTP requests served, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.providerCalls = new Histogram({
      name: `${PREFIX}provider_request_duration_seconds`,
      help: 'HTTP calls to git providers, by provider (repo type), operation and outcome (status class, timeout, refused, error)',
      labelNames: ['provider', 'operation', 'outcome'],
      buckets: PROVIDER_BUCKETS,
      registers,
    });
    this.refreshes = new Counter({
      name: `${PREFIX}token_refreshes_total`,
      help: 'Token refreshes at providers, by provider and outcome (rejected: the grant is dead, the authorization expired)',
      labelNames: ['provider', 'outcome'],
      registers,
    });
  }

  /** The series of one route (a Fastify route template), made once when the route is registered. */
  routeSeries(route: string, method: string): RouteSeries {
    return new RouteSeries(this.http, route, method);
  }

  providerCall(
    provider: string,
    operation: string,
    outcome: ProviderCallOutcome,
    seconds: number,
  ): void {
    if (this.enabled) this.providerCalls.observe({ provider, operation, outcome }, seconds);
  }

  refresh(provider: string, outcome: RefreshOutcome): void {
    if (this.enabled) this.refreshes.inc({ provider, outcome });
  }

  /** The database pool's gauges, read when scraped (a pool's counts change far more often than it is scraped). */
  watchPool(read: () => PoolStats): void {
    if (this.poolWatched) return;
    this.poolWatched = true;
    const gauge = (name: string, help: string, value: (s: PoolStats) => number) =>
      new Gauge({
        name: `${PREFIX}db_pool_${name}`,
        help,
        registers: [this.registry],
        collect() {
          this.set(value(read()));
        },
      });
    gauge('connections_in_use', 'Database connections running a query or transaction', (s) =>
      Math.max(0, s.total - s.idle),
    );
    gauge('connections_idle', 'Open database connections not in use', (s) => s.idle);
    gauge('requests_waiting', 'Queries waiting for a free database connection', (s) => s.waiting);
    gauge('connections_max', 'Size of the database pool (DB_POOL_MAX)', (s) => s.max);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of the process and the service. */
  async render(): Promise<string> {
    const [process, service] = await Promise.all([
      processMetrics().metrics(),
      this.registry.metrics(),
    ]);
    return `${process}\n${service}`;
  }
}
