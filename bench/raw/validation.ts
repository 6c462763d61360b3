import { RawError } from './errors';
import { names, PROJECT_ID_PATTERN, PROJECT_ID_RULE } from './service-parts';

export function projectId(value: string): string {
  if (!PROJECT_ID_PATTERN.test(value)) throw new RawError('INVALID_PARAMETER', PROJECT_ID_RULE);
  return value;
}

export function authorizationName(value: string): string {
  if (!names.AUTHORIZATION_NAME_PATTERN.test(value))
    throw new RawError('INVALID_PARAMETER', names.AUTHORIZATION_NAME_RULE);
  return value;
}

/** `?tag=` (absent: the default application); matched in lower case; a repeated tag is not a tag. */
export function tag(values: readonly string[]): string {
  if (values.length === 0) return '';
  const tag = values.length === 1 ? values[0].toLowerCase() : undefined;
  if (tag === undefined || !names.TAG_PATTERN.test(tag))
    throw new RawError('INVALID_PARAMETER', names.TAG_RULE);
  return tag;
}

/** Length as the service's validator counts it: a surrogate pair or a presentation sequence is one. */
function length(value: string): number {
  const sequences = value.match(/[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g)?.length ?? 0;
  const pairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - sequences - pairs;
}

/** The first broken rule of a required token-like string, in the words the service uses; undefined when fine. */
function requiredString(field: string, value: unknown, maxLength: number): string | undefined {
  if (value === undefined || value === null) return `${field} is required`;
  if (typeof value !== 'string') return `${field} must be a string`;
  if (length(value) < 1) return `${field} must not be empty`;
  if (length(value) > maxLength) return `${field} must be at most ${maxLength} characters`;
  if (!names.TOKEN_CHARS.pattern.test(value)) return `${field} must be ${names.TOKEN_CHARS.rule}`;
  return undefined;
}

function nameField(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'name is required';
  if (typeof value !== 'string') return 'name must be a string';
  return names.AUTHORIZATION_NAME_PATTERN.test(value) ? undefined : names.AUTHORIZATION_NAME_RULE;
}

export interface OAuthCallback {
  readonly name: string;
  readonly code: string;
  readonly state: string;
}

/** The oauth body: every broken field reported, in field order, unknown fields ignored. */
export function oauthCallback(body: unknown): OAuthCallback {
  // Anything but a JSON object has none of the fields, as for the service.
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const problems = [
    nameField(fields.name),
    requiredString('code', fields.code, 1024),
    requiredString('state', fields.state, 1024),
  ].filter((p) => p !== undefined);
  if (problems.length > 0) throw new RawError('INVALID_PARAMETER', problems.join('; '));
  return fields as unknown as OAuthCallback;
}
