import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-error-responses';
import { AUTHORIZATION_NAME_PATTERN } from '../git-auth/domain/names';
import { EXAMPLE_AUTHORIZATION_NAME, EXAMPLE_PROJECT_ID } from '../git-auth/dto/examples';
import { AUDIT_OPERATIONS } from './audit-trail';
import { AuditEventListDto } from './dto/audit-event.dto';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from './dto/audit-query';

export const AUDIT_TAG = 'git audit';

export const ListAuditEventsApi = () =>
  applyDecorators(
    ApiTags(AUDIT_TAG),
    ApiParam({
      name: 'project_id',
      description: 'ServiceStage project id',
      example: EXAMPLE_PROJECT_ID,
    }),
    ApiOperation({
      operationId: 'listAuditEvents',
      summary: "List the project's audit trail, newest first",
      description:
        'Every repository write and every credential handed out, recorded in the request that did it (a ' +
        'request whose record cannot be written fails with SVCSTG.REPO.0503 and does nothing). Entries hold ' +
        'names, ids and codes, never a secret. Paged by cursor: pass `next_cursor` as `cursor` for the next, ' +
        'older page; events recorded meanwhile never shift a page (they are newer than its start).',
    }),
    ApiQuery({
      name: 'name',
      required: false,
      description: 'Only the events of this authorization',
      schema: {
        type: 'string',
        pattern: AUTHORIZATION_NAME_PATTERN.source,
        example: EXAMPLE_AUTHORIZATION_NAME,
      },
    }),
    ApiQuery({
      name: 'operation',
      required: false,
      description: 'Only the events of this operation (SDK operation id)',
      enum: AUDIT_OPERATIONS,
    }),
    ApiQuery({
      name: 'limit',
      required: false,
      description: `Events per page (default ${AUDIT_DEFAULT_LIMIT})`,
      schema: {
        type: 'integer',
        minimum: 1,
        maximum: AUDIT_MAX_LIMIT,
        default: AUDIT_DEFAULT_LIMIT,
      },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: '`next_cursor` of the previous page (opaque); absent for the first page',
      schema: { type: 'string' },
    }),
    ApiOkResponse({ type: AuditEventListDto, description: 'A page of events, newest first' }),
    ApiErrors(
      'INVALID_PARAMETER',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'REQUEST_TIMEOUT',
      'HEADERS_TOO_LARGE',
      'INTERNAL',
      'UNAVAILABLE',
    ),
  );
