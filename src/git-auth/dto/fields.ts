import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE } from '../domain/names';

// class-validator checks a property's rules in the order they were registered and stops at the first failure
// (stopAtFirstError). applyDecorators registers in list order: presence, then type, then format, so each
// error names the first thing wrong with the field.

/** Which characters a field may hold, and how an error message says it. */
export interface Charset {
  readonly pattern: RegExp;
  readonly rule: string;
}

/**
 * Tokens, codes and states travel in HTTP headers, query strings and form bodies: visible ASCII only (what
 * providers issue; RFC 6750's b64token is a subset). A NUL, CR/LF or emoji is the caller's mistake (400), not
 * something to discover as an HTTP client error at the provider (502).
 */
export const TOKEN_CHARS: Charset = {
  pattern: /^[\x21-\x7e]*$/,
  rule: 'printable ASCII without spaces',
};

/** Text that may end up in a header (HTTP Basic credentials): no control characters, nothing above U+00FF. */
export const HEADER_SAFE_CHARS: Charset = {
  pattern: /^[\x20-\x7e\xa0-\xff]*$/,
  rule: 'free of control characters and of characters above U+00FF',
};

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
