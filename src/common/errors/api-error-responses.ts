import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';
import { ERRORS, type ErrorKey } from './error-codes';

/**
 * Documents the error responses of an operation: one entry per status, listing its possible codes, each
 * referencing the one ErrorResponseDto schema.
 */
export function ApiErrors(...keys: ErrorKey[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorKey[]>();
  for (const key of keys) {
    const status = ERRORS[key].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), key]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, statusKeys]) =>
      ApiResponse({
        status,
        description: statusKeys.map((k) => `\`${ERRORS[k].code}\` ${ERRORS[k].message}`).join('; '),
        content: {
          'application/json': {
            schema: { $ref: getSchemaPath(ErrorResponseDto) },
            examples: Object.fromEntries(
              statusKeys.map((k) => [
                k,
                { value: { error_code: ERRORS[k].code, error_msg: ERRORS[k].message } },
              ]),
            ),
          },
        },
      }),
    ),
  );
}
