import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder';
import { wirePath } from '../../../../test/support/signing';
import {
  buildCanonicalRequest,
  canonicalQuery,
  canonicalUri,
  EMPTY_BODY_SHA256,
  sdkUrlEncode,
  sha256Hex,
} from './sdk-canonical-request';

/** The official signer's own canonicalization (protected statics), as the reference. */
const signer = AKSKSigner as unknown as {
  CanonicalURI(path: string): string;
  CanonicalQueryString(request: unknown): string;
};

function sdkCanonicalQuery(query: Record<string, string | string[]>): string {
  const request = new HttpRequestBuilder()
    .withEndpoint('http://127.0.0.1/x')
    .withMethod('GET')
    .withQueryParams(query)
    .build();
  return signer.CanonicalQueryString(request);
}

describe('sdkUrlEncode', () => {
  it('keeps only the RFC 3986 unreserved characters', () => {
    expect(sdkUrlEncode("AZaz09-_.~ /+%!*'()é")).toBe(
      'AZaz09-_.~%20%2F%2B%25%21%2A%27%28%29%C3%A9',
    );
  });

  it('throws on a lone surrogate, as the SDK does', () => {
    expect(() => sdkUrlEncode('\ud800')).toThrow(URIError);
  });
});

describe('canonicalUri', () => {
  it.each([
    [
      '/v1/0123456789abcdef0123456789abcdef/git/auths',
      '/v1/0123456789abcdef0123456789abcdef/git/auths/',
    ],
    ['/v1/p/git/auths/', '/v1/p/git/auths/'],
    ['/', '/'],
    ['', '/'],
    ['/x/a~b:c@d', '/x/a~b%3Ac%40d/'],
  ])('%s -> %s, as the SDK', (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
    if (path !== '') expect(canonicalUri(path)).toBe(signer.CanonicalURI(path));
  });

  it('encodes an escape already on the wire again, as the Node SDK signs it', () => {
    expect(canonicalUri('/x/a%20b')).toBe('/x/a%2520b/');
  });

  it('undoes what the HTTP client encodes differently from the signer', () => {
    // The signer saw `é` and `'`; axios sent `%C3%A9` and a raw `'` (url.parse would have sent %27).
    expect(canonicalUri('/x/%C3%A9')).toBe(signer.CanonicalURI('/x/é'));
    expect(canonicalUri("/x/a'b")).toBe(signer.CanonicalURI('/x/a%27b'));
  });

  it('leaves escapes that are not valid UTF-8 as they are', () => {
    expect(canonicalUri('/x/%FF')).toBe('/x/%25FF/');
  });
});

describe('canonicalQuery', () => {
  it.each<[string, Record<string, string | string[]>]>([
    ['nothing', {}],
    ['one tag', { tag: 'intl' }],
    ['sorted keys', { tag: 'intl', limit: '10', a: 'x' }],
    ['repeated keys, values sorted', { b: ['z', 'a', '10', '2'] }],
    ['empty value', { d: '' }],
    ['upper before lower case', { Z: '1', a: '2' }],
    ['specials', { "c~/+!*'()": "~/+!*'() é&=?#" }],
  ])('matches the SDK for %s', (_case, query) => {
    const wire = wirePath('/x', query);
    const raw = wire.includes('?') ? wire.slice(wire.indexOf('?') + 1) : '';
    expect(canonicalQuery(raw)).toBe(sdkCanonicalQuery(query));
  });

  it('does not depend on the order on the wire', () => {
    expect(canonicalQuery('b=2&a=1&b=1')).toBe('a=1&b=1&b=2');
  });

  it('reads + as a space and a bare key as an empty value', () => {
    expect(canonicalQuery('s=a+b&t=a%20b&k&k2=')).toBe('k=&k2=&s=a%20b&t=a%20b');
  });

  it('throws on a broken escape', () => {
    expect(() => canonicalQuery('a=%E0%A4%A')).toThrow(URIError);
  });
});

describe('buildCanonicalRequest', () => {
  it('joins method, URI, query, signed headers (trimmed, in the listed order) and the payload hash', () => {
    const request = buildCanonicalRequest({
      method: 'GET',
      path: '/v1/p/git/auths',
      query: 'tag=intl',
      headers: { host: ' 127.0.0.1:8080 ', 'x-sdk-date': '20261128T200719Z', other: 'x' },
      signedHeaders: ['host', 'x-sdk-date'],
      payloadHash: EMPTY_BODY_SHA256,
    });
    expect(request).toBe(
      [
        'GET',
        '/v1/p/git/auths/',
        'tag=intl',
        'host:127.0.0.1:8080\nx-sdk-date:20261128T200719Z\n',
        'host;x-sdk-date',
        EMPTY_BODY_SHA256,
      ].join('\n'),
    );
  });

  it('uses the SHA-256 of nothing for an empty body', () => {
    expect(sha256Hex('')).toBe(EMPTY_BODY_SHA256);
  });
});
