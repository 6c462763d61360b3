import { AppError } from '../../common/errors/app-error';
import type { AuditPosition } from './audit-event';

/**
 * The audit list's `cursor`: the position of the last event of a page (its created_at in milliseconds and its
 * id), as base64url so that clients treat it as opaque. Decoding is strict — only what `encodeCursor` produces
 * is accepted — and anything else is `0400`.
 */
const VERSION = 'v1';
const BASE64URL = /^[A-Za-z0-9_-]{1,64}$/;
const PAYLOAD = /^v1:(0|[1-9]\d{0,14}):([1-9]\d{0,18})$/;
/** PostgreSQL's bigint. (15 digits of milliseconds reach the year 33658, within ECMAScript's dates.) */
const MAX_ID = 2n ** 63n - 1n;

export const CURSOR_RULE = 'cursor must be a next_cursor value of a previous page';

export function encodeCursor(position: AuditPosition): string {
  return Buffer.from(`${VERSION}:${position.createdAt.getTime()}:${position.id}`).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): AuditPosition {
  const invalid = () => new AppError('INVALID_PARAMETER', CURSOR_RULE);
  if (!BASE64URL.test(cursor)) throw invalid();
  const match = PAYLOAD.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (match === null) throw invalid();
  const ms = Number(match[1]);
  const id = BigInt(match[2]);
  if (id > MAX_ID) throw invalid();
  const position = { createdAt: new Date(ms), id };
  // Base64 has several spellings of one payload (trailing bits): only the canonical one is a cursor.
  if (encodeCursor(position) !== cursor) throw invalid();
  return position;
}
