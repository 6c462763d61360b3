/**
 * The canonical request of Huawei Cloud's SDK-HMAC-SHA256 signature, rebuilt from what arrived on the wire so
 * that it equals what the official signer (@huaweicloud/huaweicloud-sdk-core 3.1.x, `AKSKSigner`) hashed:
 *
 *   canonical request = METHOD \n CANONICAL_URI \n CANONICAL_QUERY \n CANONICAL_HEADERS \n SIGNED_HEADERS \n PAYLOAD_HASH
 */
import { createHash } from 'node:crypto';

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Request headers with lower-case names, as Node and Fastify give them. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export function headerValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

/**
 * The value of a header by name. Only the bag's own entries count: a signed header named `constructor` or
 * `__proto__` must read as absent, not as Object.prototype's member.
 */
export function ownHeader(headers: HeaderBag, name: string): string | undefined {
  if (!Object.hasOwn(headers, name)) return undefined;
  const value: unknown = headers[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
    ? value.join(',')
    : undefined;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The SDK's `urlEncode`: UTF-8 percent-encoding (upper-case hex) of everything except the RFC 3986 unreserved
 * set `A-Z a-z 0-9 - _ . ~`. Space becomes %20, `/` %2F, `+` %2B, `%` %25. Throws URIError on a lone
 * surrogate (the SDK throws too).
 */
export function sdkUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * Canonical URI of the path as it arrived on the wire. The Node signer encodes the path it *built* (after
 * Node's legacy `url.parse`), not a decoded path, so every %-escape already present is encoded again
 * (`a%20b` -> `a%2520b`). Its HTTP client (axios, WHATWG URL) sends some characters differently from what
 * `url.parse` kept, and those differences are undone first so the result is what the signer saw. Each
 * `/`-separated segment is then SDK-url-encoded; the result always ends with `/`.
 */
export function canonicalUri(wirePath: string): string {
  const path = wirePath === '' ? '/' : wirePath;
  const encoded = path
    .split('/')
    .map((segment) => sdkUrlEncode(undoWhatwgDifferences(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : encoded + '/';
}

/**
 * - Non-ASCII: WHATWG sends `%C3%A9` where `url.parse` kept `é` (which the signer then encoded once), so
 *   runs of escapes >= 0x80 that are valid UTF-8 are decoded back.
 * - `'` `|` `^`: WHATWG sends them raw where `url.parse` made them %27 %7C %5E (signed as %2527 ...).
 */
function undoWhatwgDifferences(segment: string): string {
  return segment
    .replace(/(?:%[89A-Fa-f][0-9A-Fa-f])+/g, (run) => {
      const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
      const text = bytes.toString('utf8');
      return Buffer.from(text, 'utf8').equals(bytes) ? text : run;
    })
    .replace(/['|^]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Canonical query of the raw wire query (without `?`): split on `&`, decode each key and value (`+` means
 * space, as in Go's url.ParseQuery; the Node SDK itself always sends %20 and %2B), group repeated keys, sort
 * keys and each key's values by UTF-16 code units (as the SDK sorts its decoded values), and emit
 * `encode(key)=encode(value)` joined by `&`. `k` and `k=` both give `k=`. Throws URIError on a bad escape.
 */
export function canonicalQuery(rawQuery: string): string {
  const groups = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = formDecode(eq === -1 ? part : part.slice(0, eq));
    const value = formDecode(eq === -1 ? '' : part.slice(eq + 1));
    groups.set(key, [...(groups.get(key) ?? []), value]);
  }
  const pairs: string[] = [];
  for (const [key, values] of [...groups].sort(([a], [b]) => compareCodeUnits(a, b))) {
    for (const value of values.sort(compareCodeUnits)) {
      pairs.push(`${sdkUrlEncode(key)}=${sdkUrlEncode(value)}`);
    }
  }
  return pairs.join('&');
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

interface CanonicalRequestParts {
  method: string;
  /** Raw path as on the wire, without the query; not decoded. */
  path: string;
  /** Raw query as on the wire, without `?`; '' when there is none. */
  query: string;
  headers: HeaderBag;
  /** Lower-case header names in the order the Authorization header lists them. */
  signedHeaders: readonly string[];
  payloadHash: string;
}

/** Throws URIError when the path or query cannot be decoded. */
export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  const canonicalHeaders = parts.signedHeaders
    .map((name) => `${name}:${(ownHeader(parts.headers, name) ?? '').trim()}\n`)
    .join('');
  return [
    parts.method,
    canonicalUri(parts.path),
    canonicalQuery(parts.query),
    canonicalHeaders,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}
