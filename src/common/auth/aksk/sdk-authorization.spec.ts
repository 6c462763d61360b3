import { parseAuthorization, parseSdkDate } from './sdk-authorization';

const SIGNATURE = 'e6d3'.padEnd(64, '0');
const VALID = `SDK-HMAC-SHA256 Access=TESTAK1234567890, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=${SIGNATURE}`;

describe('parseAuthorization', () => {
  it('reads the header exactly as the SDK writes it', () => {
    expect(parseAuthorization(VALID)).toEqual({
      ok: true,
      value: {
        ak: 'TESTAK1234567890',
        signedHeaders: ['content-type', 'host', 'x-project-id', 'x-sdk-date'],
        signature: SIGNATURE,
      },
    });
  });

  it.each([
    ['the derived signer', VALID.replace('SDK-HMAC-SHA256 Access=', 'V11-HMAC-SHA256 Credential=')],
    ['a bearer token', 'Bearer abc.def.ghi'],
    ['a lower-case scheme', VALID.replace('SDK-HMAC-SHA256', 'sdk-hmac-sha256')],
  ])('tells another scheme apart: %s', (_case, value) => {
    expect(parseAuthorization(value)).toEqual({ ok: false, reason: 'unsupported_algorithm' });
  });

  it.each([
    ['extra spaces', VALID.replace(', Signature', ',  Signature')],
    ['upper-case hex', VALID.replace(SIGNATURE, SIGNATURE.toUpperCase())],
    ['a short signature', VALID.replace(SIGNATURE, SIGNATURE.slice(1))],
    ['upper-case header names', VALID.replace('host', 'Host')],
    ['duplicate signed headers', VALID.replace('content-type;host', 'host;host')],
    ['empty signed headers', VALID.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=')],
    ['reordered fields', `SDK-HMAC-SHA256 Signature=${SIGNATURE}, Access=AK, SignedHeaders=host`],
    ['trailing text', `${VALID}, Extra=1`],
    ['a space in the AK', VALID.replace('TESTAK', 'TEST AK')],
  ])('refuses %s', (_case, value) => {
    expect(parseAuthorization(value)).toEqual({ ok: false, reason: 'malformed_authorization' });
  });
});

describe('parseSdkDate', () => {
  it('reads YYYYMMDDTHHMMSSZ as UTC', () => {
    expect(parseSdkDate('20261128T200719Z')).toBe(Date.parse('2026-11-28T20:07:19Z'));
  });

  it.each([
    '2026-11-28T20:07:19Z',
    '20261128T200719',
    '20261128T200719+0100',
    '20261332T000000Z',
    '20260230T000000Z',
    '20261128T240000Z',
    '20261128T236000Z',
    '',
  ])('refuses %j', (value) => {
    expect(parseSdkDate(value)).toBeUndefined();
  });
});
