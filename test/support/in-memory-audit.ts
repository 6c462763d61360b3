import type { CallerIdentity } from '../../src/common/auth/caller';
import { runWithRequestContext } from '../../src/common/logging/request-context';
import { AuditTrail } from '../../src/audit/audit-trail';
import type { AuditEvent, AuditQuery, NewAuditEvent } from '../../src/audit/domain/audit-event';
import { AuditEventRepository } from '../../src/audit/persistence/audit-event.repository';
import { RecordingAuditTrail } from '../../src/audit/recording-audit-trail';
import { DatabaseOutage } from '../../src/database/database-outage';

/**
 * The audit events in memory, with the behaviour the PostgreSQL one promises: ids from a sequence, a clock
 * (one millisecond per event unless `sameInstant`), the newest-first order, keyset positions, filters, and
 * finish only on a pending event. `failWrites(n)` makes the next n inserts or finishes reject.
 */
export class InMemoryAuditEvents extends AuditEventRepository {
  readonly rows: AuditEvent[] = [];
  private nextId = 1n;
  private clock = Date.parse('2026-11-30T08:00:00Z');
  private failures = 0;
  /** Events written while true share one created_at (the order then rests on the id). */
  sameInstant = false;

  failWrites(count = 1): void {
    this.failures += count;
  }

  private failIfAsked(): void {
    if (this.failures === 0) return;
    this.failures--;
    throw new Error('permission denied for table audit_events');
  }

  insert(event: NewAuditEvent): Promise<bigint> {
    this.failIfAsked();
    if (!this.sameInstant) this.clock++;
    const createdAt = new Date(this.clock);
    const row: AuditEvent = {
      ...event,
      id: this.nextId++,
      createdAt,
      finishedAt: event.outcome === 'pending' ? null : createdAt,
    };
    this.rows.push(row);
    return Promise.resolve(row.id);
  }

  finish(id: bigint, outcome: 'succeeded' | 'failed', errorCode: string | null): Promise<boolean> {
    this.failIfAsked();
    const index = this.rows.findIndex((r) => r.id === id && r.outcome === 'pending');
    if (index < 0) return Promise.resolve(false);
    this.rows[index] = {
      ...this.rows[index],
      outcome,
      errorCode,
      finishedAt: new Date(this.clock),
    };
    return Promise.resolve(true);
  }

  list(query: AuditQuery): Promise<AuditEvent[]> {
    const { after } = query;
    const newestFirst = this.rows
      .filter(
        (r) =>
          r.projectId === query.projectId &&
          (query.authorizationName === undefined ||
            r.authorizationName === query.authorizationName) &&
          (query.operation === undefined || r.operation === query.operation) &&
          (after === undefined ||
            r.createdAt < after.createdAt ||
            (r.createdAt.getTime() === after.createdAt.getTime() && r.id < after.id)),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || Number(b.id - a.id));
    return Promise.resolve(newestFirst.slice(0, query.limit));
  }
}

/** The service's own AuditTrail over events in memory (no database; outages are only counted). */
export function inMemoryAuditTrail(events = new InMemoryAuditEvents()): {
  trail: AuditTrail;
  events: InMemoryAuditEvents;
} {
  return { trail: new RecordingAuditTrail(events, new DatabaseOutage()), events };
}

export const TEST_CALLER: CallerIdentity = { scheme: 'aksk', subject: 'AKTESTCALLER0001' };

/**
 * Runs `work` as the service runs a request's handler: with a request id and the caller the auth guard would
 * have put into the request context (the audit trail reads both from there); `null`: a route the guard let
 * through without a caller.
 */
export function asRequest<T>(
  work: () => Promise<T>,
  caller: CallerIdentity | null = TEST_CALLER,
  requestId = 'req-test-1',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    runWithRequestContext({ requestId, caller: caller ?? undefined }, () => {
      work().then(resolve, reject);
    });
  });
}
