import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { currentRequestContext } from '../common/logging/request-context';
import { isDatabaseUnavailableError } from '../database/database-errors';
import { DatabaseOutage, describeDatabaseError } from '../database/database-outage';
import {
  type AuditEntry,
  type AuditOutcome,
  AuditTrail,
  isAuditOperation,
  type PendingAudit,
} from './audit-trail';
import type { NewAuditEvent, StoredOutcome } from './domain/audit-event';
import { AuditEventRepository } from './persistence/audit-event.repository';

/** What the caller gets when an operation cannot be recorded: it was not carried out. */
const NOT_RECORDED =
  'The operation could not be recorded in the audit trail, so it was not carried out; retry later';

/**
 * The audit trail over its repository: who and which request come from the request context (set by the auth
 * guard), so callers only say what they do. A write that fails is a 503 and the operation does not happen; a
 * finish that fails is logged and changes nothing for the caller (the pending row proves the attempt).
 */
@Injectable()
export class RecordingAuditTrail extends AuditTrail {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly events: AuditEventRepository,
    private readonly outage: DatabaseOutage,
  ) {
    super();
  }

  async begin(entry: AuditEntry): Promise<PendingAudit> {
    const id = await this.insert(entry, 'pending', undefined);
    return new PendingEvent(id, entry, this.events, this.logger);
  }

  async record(entry: AuditEntry, outcome: AuditOutcome, errorCode?: string): Promise<void> {
    await this.insert(entry, outcome, errorCode);
  }

  private async insert(
    entry: AuditEntry,
    outcome: StoredOutcome,
    errorCode: string | undefined,
  ): Promise<bigint> {
    const event = toNewEvent(entry, outcome, errorCode);
    try {
      return await this.events.insert(event);
    } catch (error) {
      if (isDatabaseUnavailableError(error)) {
        this.outage.failed(error);
      } else {
        this.logger.error({
          msg: 'audit event not recorded',
          operation: entry.operation,
          projectId: entry.projectId,
          cause: describeDatabaseError(error),
        });
      }
      throw new AppError('UNAVAILABLE', NOT_RECORDED);
    }
  }
}

class PendingEvent implements PendingAudit {
  private finished = false;

  constructor(
    private readonly id: bigint,
    private readonly entry: AuditEntry,
    private readonly events: AuditEventRepository,
    private readonly logger: Logger,
  ) {}

  async finish(outcome: AuditOutcome, errorCode?: string): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.events.finish(this.id, outcome, errorCode ?? null);
    } catch (error) {
      // The operation has happened (or failed) by now: its answer stands, and the pending row records the attempt.
      this.logger.warn({
        msg: 'audit event left pending',
        id: String(this.id),
        operation: this.entry.operation,
        outcome,
        cause: describeDatabaseError(error),
      });
    }
  }
}

function toNewEvent(
  entry: AuditEntry,
  outcome: StoredOutcome,
  errorCode: string | undefined,
): NewAuditEvent {
  const context = currentRequestContext();
  // Only reachable through a bug (a call outside a request, or on a route the guard does not cover): refusing
  // keeps an operation from happening without knowing who asked for it.
  if (context?.caller === undefined)
    throw new Error('audit trail used outside an authenticated request');
  if (!isAuditOperation(entry.operation))
    throw new Error(`unknown audit operation ${String(entry.operation)}`);
  const { target } = entry;
  return {
    projectId: entry.projectId,
    authorizationName: entry.authorizationName,
    operation: entry.operation,
    repository: target.repository ?? null,
    ref: target.ref ?? null,
    path: target.path ?? null,
    hookId: target.hookId ?? null,
    caller: context.caller,
    requestId: context.requestId,
    outcome,
    errorCode: errorCode ?? null,
  };
}
