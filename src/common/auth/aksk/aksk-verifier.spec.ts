import { asReceived, sdkDate, sdkSign, wirePath } from '../../../../test/support/signing';
import { type AkskVerifyInput, verifyAkskSignature } from './aksk-verifier';
import { parseSdkDate } from './sdk-authorization';
import { sha256Hex } from './sdk-canonical-request';

const AK = 'TESTAK1234567890';
const SK = 'TESTSK0987654321abcdef';
const PROJECT = '0123456789abcdef0123456789abcdef';
const ENDPOINT = 'http://127.0.0.1:18080';
const AUTHS = `/v1/${PROJECT}/git/auths`;
const OAUTH_BODY = { name: 'my-auth', code: '04bed2df009f3fc9abcd', state: 'st"ate é €😀' };

interface Call {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
  sk?: string;
  ak?: string;
  date?: Date;
}

/** A request signed by the official SDK signer, as the server receives it. */
function signed(call: Call): AkskVerifyInput {
  const headers = sdkSign({
    endpoint: ENDPOINT,
    method: call.method,
    path: call.path,
    query: call.query,
    body: call.body,
    ak: call.ak ?? AK,
    sk: call.sk ?? SK,
    projectId: PROJECT,
    date: call.date,
  });
  const wire = wirePath(call.path, call.query);
  const queryAt = wire.indexOf('?');
  return {
    method: call.method,
    path: queryAt === -1 ? wire : wire.slice(0, queryAt),
    query: queryAt === -1 ? '' : wire.slice(queryAt + 1),
    headers: asReceived(headers),
    body: Buffer.from(call.body === undefined ? '' : JSON.stringify(call.body)),
    lookupSecret: (ak) => (ak === AK ? SK : undefined),
    now: new Date(),
  };
}

function verify(input: AkskVerifyInput, changes: Partial<AkskVerifyInput> = {}) {
  return verifyAkskSignature({ ...input, ...changes });
}

function withHeaders(input: AkskVerifyInput, changes: Record<string, string | undefined>) {
  return { headers: { ...input.headers, ...changes } };
}

const POST_OAUTH: Call = {
  method: 'POST',
  path: `${AUTHS}/github/oauth`,
  query: { tag: 'intl' },
  body: OAUTH_BODY,
};

describe('verifyAkskSignature with requests signed by the official SDK signer', () => {
  it.each<[string, Call]>([
    ['GET list', { method: 'GET', path: AUTHS }],
    [
      'GET with ?tag=intl',
      { method: 'GET', path: `${AUTHS}/github/redirect`, query: { tag: 'intl' } },
    ],
    ['POST with a JSON body and ?tag=intl', POST_OAUTH],
    ['POST with {}', { method: 'POST', path: `${AUTHS}/bitbucket/password`, body: {} }],
    ['DELETE', { method: 'DELETE', path: `${AUTHS}/my-auth` }],
    [
      'GET with repeated and special query values',
      {
        method: 'GET',
        path: AUTHS,
        query: { tag: 'intl', b: ['2', '1', '10'], c: "~/+!*'()é&=?#" },
      },
    ],
  ])('accepts %s', (_case, call) => {
    expect(verify(signed(call))).toEqual({ ok: true, ak: AK });
  });

  it('accepts the query in another order on the wire and + for a space', () => {
    const input = signed({
      method: 'GET',
      path: AUTHS,
      query: { tag: 'intl', b: ['z', 'a'], s: 'a b' },
    });
    expect(verify(input, { query: 's=a+b&b=z&tag=intl&b=a' })).toEqual({ ok: true, ak: AK });
  });

  describe('refuses anything changed after signing', () => {
    const post = signed(POST_OAUTH);
    const json = JSON.stringify(OAUTH_BODY);

    it.each<[string, Partial<AkskVerifyInput>]>([
      ['the body', { body: Buffer.from(json.replace('04bed', '04bee')) }],
      ['the body re-serialized', { body: Buffer.from(JSON.stringify(OAUTH_BODY, null, 1)) }],
      ['the body removed', { body: Buffer.alloc(0) }],
      ['the path', { path: `${AUTHS}/gitlab/oauth` }],
      ['the project in the path', { path: `/v1/${'f'.repeat(32)}/git/auths/github/oauth` }],
      ['the query value', { query: 'tag=cn' }],
      ['the query dropped', { query: '' }],
      ['a query parameter added', { query: 'tag=intl&x=1' }],
      ['the method', { method: 'PUT' }],
      ['the host', withHeaders(post, { host: 'localhost:18080' })],
      ['a signed header', withHeaders(post, { 'x-project-id': 'f'.repeat(32) })],
    ])('%s', (_case, changes) => {
      expect(verify(post, changes)).toEqual({ ok: false, reason: 'signature_mismatch' });
    });

    it('the date, even within the window', () => {
      const date = post.headers['x-sdk-date'] as string;
      const later = sdkDate(new Date((parseSdkDate(date) ?? 0) + 1000));
      expect(verify(post, withHeaders(post, { 'x-sdk-date': later }))).toEqual({
        ok: false,
        reason: 'signature_mismatch',
      });
    });
  });

  it('refuses a signature made with another secret key', () => {
    expect(verify(signed({ method: 'GET', path: AUTHS, sk: 'ANOTHERSK0987654321' }))).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('refuses an unknown access key', () => {
    expect(verify(signed({ method: 'GET', path: AUTHS, ak: 'UNKNOWNAK' }))).toEqual({
      ok: false,
      reason: 'unknown_access_key',
    });
  });

  describe('the X-Sdk-Date window (15 minutes either way)', () => {
    const minutes = (n: number) => n * 60_000;

    it('accepts a signature made 14 minutes ago or 14 minutes ahead', () => {
      const input = signed({ method: 'GET', path: AUTHS });
      expect(verify(input, { now: new Date(Date.now() + minutes(14)) }).ok).toBe(true);
      expect(verify(input, { now: new Date(Date.now() - minutes(14)) }).ok).toBe(true);
    });

    it('refuses a correctly signed old request', () => {
      const input = signed({
        method: 'GET',
        path: AUTHS,
        date: new Date(Date.now() - minutes(20)),
      });
      expect(verify(input)).toEqual({ ok: false, reason: 'date_out_of_range' });
    });

    it('refuses a request from 16 minutes in the future', () => {
      const input = signed({ method: 'GET', path: AUTHS });
      expect(verify(input, { now: new Date(Date.now() - minutes(16)) })).toEqual({
        ok: false,
        reason: 'date_out_of_range',
      });
    });

    it('refuses a date in another format', () => {
      const input = signed({ method: 'GET', path: AUTHS });
      expect(verify(input, withHeaders(input, { 'x-sdk-date': new Date().toISOString() }))).toEqual(
        {
          ok: false,
          reason: 'malformed_date',
        },
      );
    });
  });

  describe('the Authorization header', () => {
    const input = signed({ method: 'GET', path: AUTHS });
    const authorization = input.headers['authorization'] as string;

    it.each<[string, string | undefined, string]>([
      ['missing', undefined, 'missing_authorization'],
      ['empty', '', 'missing_authorization'],
      [
        'another scheme',
        authorization.replace('SDK-HMAC-SHA256', 'V11-HMAC-SHA256'),
        'unsupported_algorithm',
      ],
      [
        'loosely written',
        authorization.replace(', Signature', ',  Signature'),
        'malformed_authorization',
      ],
      [
        'without host signed',
        authorization.replace('content-type;host;', 'content-type;'),
        'missing_signed_header',
      ],
      [
        'without x-sdk-date signed',
        authorization.replace(';x-sdk-date', ''),
        'missing_signed_header',
      ],
      [
        'naming a header that was not sent',
        authorization.replace('content-type;', 'content-type;extra;'),
        'signed_header_absent',
      ],
      [
        'naming an Object.prototype member as a header',
        authorization.replace('content-type;', 'constructor;content-type;'),
        'signed_header_absent',
      ],
      [
        'naming __proto__ as a header',
        authorization.replace('content-type;', '__proto__;content-type;'),
        'signed_header_absent',
      ],
    ])('%s', (_case, value, reason) => {
      expect(verify(input, withHeaders(input, { authorization: value }))).toEqual({
        ok: false,
        reason,
      });
    });
  });

  it('refuses a signed X-Sdk-Content-Sha256 that is not the body hash (UNSIGNED-PAYLOAD)', () => {
    const input = signed(POST_OAUTH);
    const authorization = (input.headers['authorization'] as string).replace(
      'SignedHeaders=content-type;',
      'SignedHeaders=content-type;x-sdk-content-sha256;',
    );
    const changes = withHeaders(input, {
      authorization,
      'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD',
    });
    expect(verify(input, changes)).toEqual({ ok: false, reason: 'unsigned_payload' });
    const honest = withHeaders(input, {
      authorization,
      'x-sdk-content-sha256': sha256Hex(JSON.stringify(OAUTH_BODY)),
    });
    // The declared hash is right, but it was not signed by the SDK this way: still a mismatch, not a crash.
    expect(verify(input, honest)).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses an undecodable query without throwing', () => {
    const input = signed({ method: 'GET', path: AUTHS });
    expect(verify(input, { query: 'a=%E0%A4%A' })).toEqual({
      ok: false,
      reason: 'malformed_request',
    });
  });
});
