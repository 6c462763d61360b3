import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE } from '../../git-auth/domain/names';
import type { AuditListRequest } from '../audit-log.service';
import { AUDIT_OPERATIONS, isAuditOperation } from '../audit-trail';
import { decodeCursor } from '../domain/audit-cursor';

export const AUDIT_DEFAULT_LIMIT = 50;
export const AUDIT_MAX_LIMIT = 200;
const LIMIT = /^[1-9]\d{0,2}$/;
const LIMIT_RULE = `limit must be an integer from 1 to ${AUDIT_MAX_LIMIT}`;
const OPERATION_RULE = `operation must be one of ${AUDIT_OPERATIONS.join(', ')}`;

/** One query parameter as a string; absent or empty is undefined, a repeated one is refused. */
function single(query: Record<string, unknown>, field: string): string | undefined {
  const value = query[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AppError('INVALID_PARAMETER', `${field} is repeated`);
  return value;
}

/** `?name=&operation=&limit=&cursor=` of the audit list, each checked; anything wrong is `0400`. */
export function parseAuditQuery(query: Record<string, unknown>): AuditListRequest {
  const name = single(query, 'name');
  if (name !== undefined && !AUTHORIZATION_NAME_PATTERN.test(name))
    throw new AppError('INVALID_PARAMETER', AUTHORIZATION_NAME_RULE);
  const operation = single(query, 'operation');
  if (operation !== undefined && !isAuditOperation(operation))
    throw new AppError('INVALID_PARAMETER', OPERATION_RULE);
  const limitText = single(query, 'limit');
  let limit = AUDIT_DEFAULT_LIMIT;
  if (limitText !== undefined) {
    limit = LIMIT.test(limitText) ? Number(limitText) : 0;
    if (limit < 1 || limit > AUDIT_MAX_LIMIT) throw new AppError('INVALID_PARAMETER', LIMIT_RULE);
  }
  const cursor = single(query, 'cursor');
  return { name, operation, limit, after: cursor === undefined ? undefined : decodeCursor(cursor) };
}

/** The audit list's query, read as it arrived (past the global ValidationPipe, which would join repeats). */
export const AuditListQuery = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuditListRequest =>
    parseAuditQuery(
      context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown>,
    ),
);
