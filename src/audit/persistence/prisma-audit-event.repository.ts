import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import { statement } from '../../database/statement';
import { type AuditEvent as AuditEventRow, Prisma } from '../../database/generated/prisma/client';
import { isAuditOperation } from '../audit-trail';
import type { AuditEvent, AuditQuery, NewAuditEvent } from '../domain/audit-event';
import { AuditEventRepository } from './audit-event.repository';

/**
 * The audit trail in PostgreSQL. The writes are hand-written statements so that each is exactly one round trip
 * with a constant text (prepared once per connection) and the database's clock stamps every row.
 */
@Injectable()
export class PrismaAuditEventRepository extends AuditEventRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async insert(e: NewAuditEvent): Promise<bigint> {
    // Straight to the pool, like the credential read it follows (PrismaService.queryRows): this INSERT is on
    // the credential endpoint's hot path. node-postgres hands a bigint over as its decimal text.
    const rows = await this.prisma.queryRows<{ id: string }>(
      e.outcome === 'pending' ? INSERT_PENDING_SQL : INSERT_FINISHED_SQL,
      [
        e.projectId,
        e.authorizationName,
        e.operation,
        e.repository,
        e.ref,
        e.path,
        e.hookId,
        e.caller.scheme,
        e.caller.subject,
        e.requestId,
        e.outcome,
        e.errorCode,
      ],
    );
    return BigInt(rows[0].id);
  }

  async finish(
    id: bigint,
    outcome: 'succeeded' | 'failed',
    errorCode: string | null,
  ): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE audit_events
      SET outcome = CAST(${outcome} AS "AuditOutcome"), error_code = ${errorCode}, finished_at = now()
      WHERE id = ${id} AND outcome = 'pending'`;
    return count === 1;
  }

  async list(query: AuditQuery): Promise<AuditEvent[]> {
    const { after } = query;
    // Keyset paging with a row comparison, which PostgreSQL answers from the (project, [name | operation,]
    // created_at desc, id desc) indexes in order and stops after `limit` rows; the equivalent OR of two
    // comparisons (what a Prisma `where` can say) reads every event of the project and sorts them.
    const rows = await this.prisma.$queryRaw<AuditEventRow[]>`
      SELECT id, project_id AS "projectId", authorization_name AS "authorizationName", operation, repository,
        ref, path, hook_id AS "hookId", caller_scheme AS "callerScheme", caller_subject AS "callerSubject",
        request_id AS "requestId", outcome::text AS outcome, error_code AS "errorCode",
        created_at AS "createdAt", finished_at AS "finishedAt"
      FROM audit_events
      WHERE project_id = ${query.projectId}
        ${query.authorizationName === undefined ? Prisma.empty : Prisma.sql`AND authorization_name = ${query.authorizationName}`}
        ${query.operation === undefined ? Prisma.empty : Prisma.sql`AND operation = ${query.operation}`}
        ${after === undefined ? Prisma.empty : Prisma.sql`AND (created_at, id) < (${after.createdAt}, ${after.id})`}
      ORDER BY created_at DESC, id DESC
      LIMIT ${query.limit}`;
    return rows.map(toAuditEvent);
  }
}

function toAuditEvent(row: AuditEventRow): AuditEvent {
  if (!isAuditOperation(row.operation)) throw new Error('audit_events holds an unknown operation');
  return {
    id: row.id,
    projectId: row.projectId,
    authorizationName: row.authorizationName,
    operation: row.operation,
    repository: row.repository,
    ref: row.ref,
    path: row.path,
    hookId: row.hookId,
    caller: { scheme: callerScheme(row.callerScheme), subject: row.callerSubject },
    requestId: row.requestId,
    outcome: row.outcome,
    errorCode: row.errorCode,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function callerScheme(value: string): AuditEvent['caller']['scheme'] {
  if (value === 'x-auth-token' || value === 'aksk' || value === 'none') return value;
  throw new Error('audit_events holds an unknown caller scheme');
}

const INSERT_COLUMNS = `project_id, authorization_name, operation, repository, ref, path, hook_id, caller_scheme,
  caller_subject, request_id, outcome, error_code`;
const INSERT_VALUES = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CAST($11 AS "AuditOutcome"), $12`;
const INSERT_PENDING_SQL = statement(
  'insert_pending_audit_event',
  `INSERT INTO audit_events (${INSERT_COLUMNS}) VALUES (${INSERT_VALUES}) RETURNING id`,
);
const INSERT_FINISHED_SQL = statement(
  'insert_finished_audit_event',
  `INSERT INTO audit_events (${INSERT_COLUMNS}, finished_at)
  VALUES (${INSERT_VALUES}, now()) RETURNING id`,
);
