import type { AuditEvent, AuditQuery, NewAuditEvent } from '../domain/audit-event';

/** Where audit events are kept. Implementations reject when they cannot write: the caller fails the request. */
export abstract class AuditEventRepository {
  /** One INSERT; the database's clock sets created_at (and finished_at unless the outcome is pending). */
  abstract insert(event: NewAuditEvent): Promise<bigint>;

  /** Sets the outcome of a pending event; false when it was not pending (already finished, or unknown). */
  abstract finish(
    id: bigint,
    outcome: 'succeeded' | 'failed',
    errorCode: string | null,
  ): Promise<boolean>;

  /** A project's events newest first (createdAt desc, id desc), after `query.after`, at most `query.limit`. */
  abstract list(query: AuditQuery): Promise<AuditEvent[]>;
}
