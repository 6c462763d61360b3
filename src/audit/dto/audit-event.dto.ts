import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  EXAMPLE_AUTHORIZATION_NAME,
  EXAMPLE_REPOSITORY,
  SANDBOX_LOGIN,
} from '../../git-auth/dto/examples';
import type { AuditPage } from '../audit-log.service';
import { AUDIT_OPERATIONS } from '../audit-trail';
import { encodeCursor } from '../domain/audit-cursor';
import type { AuditEvent } from '../domain/audit-event';

/** The audit list's answer: snake_case fields and epoch-millisecond times, like the rest of the API. */

@ApiSchema({ name: 'AuditEvent' })
export class AuditEventDto {
  @ApiProperty({
    description: 'Event id (a decimal string: ids are 64-bit)',
    example: '1042',
  })
  id!: string;

  @ApiProperty({
    description: 'The authorization the operation used',
    example: EXAMPLE_AUTHORIZATION_NAME,
  })
  name!: string;

  @ApiProperty({
    enum: AUDIT_OPERATIONS,
    description: 'SDK operation id',
    example: 'createTag',
  })
  operation!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: '`namespace/project` as the caller named it; null where the operation has none',
    example: `${SANDBOX_LOGIN}/${EXAMPLE_REPOSITORY}`,
  })
  repository!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Branch or tag', example: 'v1.0.0' })
  ref!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'File path', example: null })
  path!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Webhook id', example: null })
  hook_id!: string | null;

  @ApiProperty({
    enum: ['x-auth-token', 'aksk', 'none'],
    description: 'How the caller authenticated; `none` when the service runs with AUTH_MODE=none',
    example: 'aksk',
  })
  caller_scheme!: string;

  @ApiProperty({
    description: 'The JWT subject or the access key id (never a secret); `-` with AUTH_MODE=none',
    example: 'HPUAEXAMPLEAK0000001',
  })
  caller_subject!: string;

  @ApiProperty({
    description: 'The X-Request-Id of the request that did it',
    example: '8f5c1b7e-3f3a-4d0c-9a57-0c1a3f4e2b61',
  })
  request_id!: string;

  @ApiProperty({
    enum: ['pending', 'succeeded', 'failed'],
    description:
      '`pending`: recorded before the provider was asked and not finished (still running, or its outcome could not be written)',
    example: 'succeeded',
  })
  outcome!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The SVCSTG code the caller received when the operation failed',
    example: null,
  })
  error_code!: string | null;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    description: 'When it was recorded (before it was carried out), epoch milliseconds',
    example: 1764490760123,
  })
  create_time!: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    nullable: true,
    description: 'When its outcome was recorded, epoch milliseconds; null while pending',
    example: 1764490760456,
  })
  finish_time!: number | null;
}

@ApiSchema({ name: 'ListAuditEventsResponse' })
export class AuditEventListDto {
  @ApiProperty({ type: [AuditEventDto], description: 'Newest first' })
  events!: AuditEventDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null on the last page',
    example: encodeCursor({ createdAt: new Date(1764490760123), id: 1042n }),
  })
  next_cursor!: string | null;
}

export function toAuditEventList(page: AuditPage): AuditEventListDto {
  return { events: page.events.map(toAuditEventDto), next_cursor: page.nextCursor };
}

function toAuditEventDto(e: AuditEvent): AuditEventDto {
  return {
    id: e.id.toString(),
    name: e.authorizationName,
    operation: e.operation,
    repository: e.repository,
    ref: e.ref,
    path: e.path,
    hook_id: e.hookId,
    caller_scheme: e.caller.scheme,
    caller_subject: e.caller.subject,
    request_id: e.requestId,
    outcome: e.outcome,
    error_code: e.errorCode,
    create_time: e.createdAt.getTime(),
    finish_time: e.finishedAt?.getTime() ?? null,
  };
}
