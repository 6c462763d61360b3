import type { ValidationError, ValidationPipeOptions } from '@nestjs/common';
import { transformerPackage } from '../validation/class-transformer';
import { validatorPackage } from '../validation/class-validator';
import { AppError } from './app-error';

function messagesOf(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}), ...messagesOf(e.children ?? [], path)];
  });
}

/**
 * Unknown body fields are dropped, not refused: SDK clients of newer API versions may send more.
 * Errors list every broken rule, in the words of the DTO's messages.
 */
export const validationPipeOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: false,
  transform: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
  // The packages' parts, not their index files (see ../validation/class-validator.ts).
  validatorPackage,
  transformerPackage,
  exceptionFactory: (errors: ValidationError[]) =>
    new AppError('INVALID_PARAMETER', messagesOf(errors).join('; ') || 'Request body invalid'),
};
