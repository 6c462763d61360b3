/**
 * The audit trail of issue 12: every repository write and every credential handed out is recorded, in the same
 * request, before it happens. A failure to record fails the request, so nothing happens unrecorded.
 *
 * The caller's identity (access key id or JWT subject) and the request id are taken from the request being
 * served; an entry never holds a secret.
 */
/** The operations that are recorded, by their SDK operation id (also the values of the audit list's filter). */
export const AUDIT_OPERATIONS = [
  'showCredential',
  'createProject',
  'createTag',
  'deleteTag',
  'createHook',
  'deleteHook',
  'createFile',
  'updateFile',
  'deleteFile',
] as const;

export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

const OPERATIONS: ReadonlySet<string> = new Set(AUDIT_OPERATIONS);

export function isAuditOperation(value: string): value is AuditOperation {
  return OPERATIONS.has(value);
}

/** What an operation acts on; each field only where the operation has one. */
export interface AuditTarget {
  /** `namespace/project` as the caller named it. */
  readonly repository?: string;
  readonly ref?: string;
  readonly path?: string;
  readonly hookId?: string;
}

export interface AuditEntry {
  readonly projectId: string;
  readonly authorizationName: string;
  readonly operation: AuditOperation;
  readonly target: AuditTarget;
}

export type AuditOutcome = 'succeeded' | 'failed';

/** An entry recorded as pending; its outcome is written when the operation ends. */
export interface PendingAudit {
  /** `errorCode` is the SVCSTG code the caller received (e.g. `SVCSTG.REPO.0409`) when it failed. */
  finish(outcome: AuditOutcome, errorCode?: string): Promise<void>;
}

export abstract class AuditTrail {
  /** Records the entry as pending; rejects (a 503 to the caller) when it cannot be recorded. */
  abstract begin(entry: AuditEntry): Promise<PendingAudit>;
  /** Records an operation that has already been decided (the credential hand-out) in one write. */
  abstract record(entry: AuditEntry, outcome: AuditOutcome, errorCode?: string): Promise<void>;
}
