import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  IsDefined,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from '../../common/validation/class-validator';
import { AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE, type Charset } from '../domain/names';

// The charsets live with the other text rules (framework-free, shared with the benchmark's raw reference).
export { HEADER_SAFE_CHARS, TOKEN_CHARS } from '../domain/names';

// class-validator checks a property's rules in the order they were registered and stops at the first failure
// (stopAtFirstError). applyDecorators registers in list order: presence, then type, then format, so each
// error names the first thing wrong with the field.

/** A required, non-empty string of bounded length and charset, documented in Swagger. */
export function RequiredString(
  field: string,
  doc: { description: string; example: string; maxLength: number; charset: Charset },
): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: `${doc.description} (${doc.charset.rule})`,
      example: doc.example,
      maxLength: doc.maxLength,
      pattern: doc.charset.pattern.source,
    }),
    IsDefined({ message: `${field} is required` }),
    IsString({ message: `${field} must be a string` }),
    MinLength(1, { message: `${field} must not be empty` }),
    MaxLength(doc.maxLength, { message: `${field} must be at most ${doc.maxLength} characters` }),
    Matches(doc.charset.pattern, { message: `${field} must be ${doc.charset.rule}` }),
  );
}

/** The authorization name: ServiceStage's console rule. */
export function AuthorizationNameField(example: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      description: `Authorization name; ${AUTHORIZATION_NAME_RULE}`,
      example,
      pattern: AUTHORIZATION_NAME_PATTERN.source,
    }),
    IsDefined({ message: 'name is required' }),
    IsString({ message: 'name must be a string' }),
    Matches(AUTHORIZATION_NAME_PATTERN, { message: AUTHORIZATION_NAME_RULE }),
  );
}
