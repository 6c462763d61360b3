import type { CallerIdentity } from '../../common/auth/caller';
import type { AuditOperation } from '../audit-trail';

export type StoredOutcome = 'pending' | 'succeeded' | 'failed';

/** One row of the audit trail as it is written: names, ids and codes only, never a secret. */
export interface NewAuditEvent {
  readonly projectId: string;
  readonly authorizationName: string;
  readonly operation: AuditOperation;
  readonly repository: string | null;
  readonly ref: string | null;
  readonly path: string | null;
  readonly hookId: string | null;
  readonly caller: CallerIdentity;
  readonly requestId: string;
  readonly outcome: StoredOutcome;
  readonly errorCode: string | null;
}

export interface AuditEvent extends NewAuditEvent {
  /** From a sequence; with createdAt the events' total order (newest first: createdAt desc, id desc). */
  readonly id: bigint;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

/** A position in the newest-first order: the events strictly older than it come next. */
export interface AuditPosition {
  readonly createdAt: Date;
  readonly id: bigint;
}

export interface AuditQuery {
  readonly projectId: string;
  readonly authorizationName?: string;
  readonly operation?: AuditOperation;
  readonly after?: AuditPosition;
  readonly limit: number;
}
