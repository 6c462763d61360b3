import { Injectable } from '@nestjs/common';
import type { AuditOperation } from './audit-trail';
import { encodeCursor } from './domain/audit-cursor';
import type { AuditEvent, AuditPosition } from './domain/audit-event';
import { AuditEventRepository } from './persistence/audit-event.repository';

export interface AuditListRequest {
  readonly name?: string;
  readonly operation?: AuditOperation;
  readonly limit: number;
  readonly after?: AuditPosition;
}

export interface AuditPage {
  readonly events: readonly AuditEvent[];
  /** Where the next page starts; null when this page is the last. */
  readonly nextCursor: string | null;
}

/** Reads a project's audit trail newest first, a page at a time (keyset paging: stable under new events). */
@Injectable()
export class AuditLog {
  constructor(private readonly events: AuditEventRepository) {}

  async list(projectId: string, request: AuditListRequest): Promise<AuditPage> {
    // One more than asked says whether another page exists, so the last page says so (no empty extra page).
    const rows = await this.events.list({
      projectId,
      authorizationName: request.name,
      operation: request.operation,
      after: request.after,
      limit: request.limit + 1,
    });
    if (rows.length <= request.limit) return { events: rows, nextCursor: null };
    const events = rows.slice(0, request.limit);
    return { events, nextCursor: encodeCursor(events[events.length - 1]) };
  }
}
