import { AppError } from '../../common/errors/app-error';
import type { Charset } from '../../git-auth/domain/names';
import { isValidRefName } from './ref-name';

/**
 * The rules of the write operations' inputs that hold at every provider ([O] in REPOS-API.md): checked before
 * the authorization is resolved, so that nothing malformed reaches a provider or the audit trail.
 */

/** createProject's `name`: 1–100 characters of `[A-Za-z0-9._-]`, not `.` or `..`. */
export const PROJECT_NAME: Charset = {
  pattern: /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/,
  rule: '1-100 letters, digits, ".", "_" or "-", and not "." or ".."',
};

/** Anything printable (commit messages, tag descriptions span lines); no NUL or other control characters. */
export const MESSAGE_CHARS: Charset = {
  // eslint-disable-next-line no-control-regex
  pattern: /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/,
  rule: 'text without control characters other than tab and line breaks',
};

/** A blob SHA as showContent returns it: SHA-1 (40 hex) or SHA-256 (64 hex) repositories. */
export const BLOB_SHA: Charset = {
  pattern: /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/,
  rule: 'the 40 (or 64) hex digit blob SHA that showContent returned',
};

export const MAX_COMMIT_MESSAGE = 4096;
/** deleteFile's message rides in the query string. */
export const MAX_QUERY_MESSAGE = 1024;
export const MAX_HOOK_SECRET = 255;

/** A tag name: a valid git ref name (no space, `~^:?*[\`, `..`, `@{`, no trailing `.lock` or `/`). */
export function checkTagName(field: string, name: string): string {
  if (!isValidRefName(name))
    throw new AppError(
      'INVALID_PARAMETER',
      `${field} must be a valid git tag name (no spaces, "~^:?*[\\", "..", "@{", leading "-" or trailing ".lock" or "/"; at most 255 characters)`,
    );
  return name;
}

/**
 * File content as the contract sends it: standard base64 (`+/`, `=` padding), whitespace ignored (line breaks
 * of any width), `""` an empty file. Anything else is 0400 rather than bytes silently dropped by a lenient
 * decoder.
 */
export function decodeContent(field: string, value: string): Buffer {
  const compact = value.replace(/[\t\n\r ]+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    throw new AppError('INVALID_PARAMETER', `${field} must be base64 (standard alphabet, padded)`);
  const bytes = Buffer.from(compact, 'base64');
  // Non-canonical trailing bits (e.g. "QR==") decode, but would not round-trip: refuse them too.
  if (bytes.toString('base64') !== compact)
    throw new AppError('INVALID_PARAMETER', `${field} must be canonical base64`);
  return bytes;
}
