import { AppError } from '../../common/errors/app-error';
import { CURSOR_RULE, decodeCursor, encodeCursor } from './audit-cursor';

describe('audit cursor', () => {
  it('round-trips a position, opaque to the client', () => {
    const position = {
      createdAt: new Date('2026-11-30T08:19:20.123Z'),
      id: 9_007_199_254_740_993n,
    };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2026');
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('keeps millisecond precision and the largest bigint id', () => {
    const position = { createdAt: new Date(1), id: 2n ** 63n - 1n };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['padding', `${b64('v1:1:1')}=`],
    ['too long', 'A'.repeat(65)],
    ['another version', b64('v2:1764490760000:5')],
    ['no id', b64('v1:1764490760000')],
    ['id 0', b64('v1:1764490760000:0')],
    ['negative time', b64('v1:-1:5')],
    ['leading zero', b64('v1:01764490760000:5')],
    ['id beyond bigint', b64(`v1:1:${2n ** 63n}`)],
    ['a time of 16 digits', b64('v1:8640000000000001:5')],
    ['decimal', b64('v1:1.5:5')],
    ['trailing data', b64('v1:1:5:x')],
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00]).toString('base64url')],
  ])('refuses %s with 0400', (_what, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'SVCSTG.REPO.0400', message: CURSOR_RULE });
  });

  it('refuses a non-canonical spelling of a valid cursor', () => {
    // 19 bytes of payload: the last base64 character carries 4 unused bits, so a twin spelling exists.
    const cursor = encodeCursor({ createdAt: new Date(1764490760000), id: 55n });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = cursor.slice(0, -1) + alphabet[alphabet.indexOf(cursor.at(-1)!) + 1];
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(cursor, 'base64url'));
    expect(() => decodeCursor(twin)).toThrow(CURSOR_RULE);
    expect(decodeCursor(cursor).id).toBe(55n);
  });
});
