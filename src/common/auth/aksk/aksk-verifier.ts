/**
 * Verifies Huawei Cloud AK/SK request signatures (SDK-HMAC-SHA256) as the official SDK signer produces them.
 * Pure: no framework, no I/O, no clock; the caller passes exactly what arrived on the wire.
 *
 *   string to sign = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(canonical request))
 *   signature      = hex(HMAC-SHA256(SK, string to sign))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseAuthorization, parseSdkDate, SDK_HMAC_SHA256 } from './sdk-authorization';
import {
  buildCanonicalRequest,
  EMPTY_BODY_SHA256,
  type HeaderBag,
  ownHeader,
  sha256Hex,
} from './sdk-canonical-request';

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export interface AkskVerifyInput {
  /** HTTP method as received (upper-case). */
  method: string;
  /** Raw request path as on the wire, without the query; not decoded. */
  path: string;
  /** Raw query string as on the wire, without the leading `?`; '' when there is none; not decoded. */
  query: string;
  headers: HeaderBag;
  /** Raw body bytes exactly as received; empty when there is none. */
  body: Buffer;
  /** AK -> SK; undefined for an unknown access key. */
  lookupSecret: (ak: string) => string | undefined;
  now: Date;
  /** Allowed distance between X-Sdk-Date and now, either way. */
  maxSkewMs?: number;
}

type AkskFailureReason =
  | 'missing_authorization'
  | 'unsupported_algorithm' // another scheme, e.g. the derived V11-HMAC-SHA256 signer
  | 'malformed_authorization' // not exactly `SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=<64 hex>`
  | 'missing_signed_header' // host or x-sdk-date not among SignedHeaders
  | 'signed_header_absent' // a header named in SignedHeaders is not in the request
  | 'malformed_date' // X-Sdk-Date is not YYYYMMDDTHHMMSSZ or not a real instant
  | 'date_out_of_range'
  | 'malformed_request' // undecodable path or query
  | 'unknown_access_key'
  | 'unsigned_payload' // x-sdk-content-sha256 signed but not the body's SHA-256 (e.g. UNSIGNED-PAYLOAD)
  | 'signature_mismatch';

type AkskVerifyResult = { ok: true; ak: string } | { ok: false; reason: AkskFailureReason };

/** Headers every accepted signature must cover: without them a signature could be replayed elsewhere or later. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-sdk-date'];

export function verifyAkskSignature(input: AkskVerifyInput): AkskVerifyResult {
  const fail = (reason: AkskFailureReason): AkskVerifyResult => ({ ok: false, reason });
  const { headers } = input;

  const authorization = ownHeader(headers, 'authorization');
  if (authorization === undefined || authorization === '') return fail('missing_authorization');
  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) return fail(parsed.reason);
  const { ak, signedHeaders, signature } = parsed.value;

  if (!REQUIRED_SIGNED_HEADERS.every((name) => signedHeaders.includes(name))) {
    return fail('missing_signed_header');
  }
  if (signedHeaders.some((name) => ownHeader(headers, name) === undefined)) {
    return fail('signed_header_absent');
  }

  const sdkDate = (ownHeader(headers, 'x-sdk-date') ?? '').trim();
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) return fail('malformed_date');
  if (Math.abs(input.now.getTime() - signedAt) > (input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    return fail('date_out_of_range');
  }

  const sk = input.lookupSecret(ak);
  if (sk === undefined || sk === '') return fail('unknown_access_key');

  const bodyHash = input.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(input.body);
  // A signed x-sdk-content-sha256 replaces the body hash in the SDK's canonical request (`UNSIGNED-PAYLOAD` for
  // non-JSON bodies); it is accepted only when it really is the body's hash, so the body stays signed.
  if (signedHeaders.includes('x-sdk-content-sha256')) {
    const declared = (ownHeader(headers, 'x-sdk-content-sha256') ?? '').trim();
    if (declared !== bodyHash) return fail('unsigned_payload');
  }

  let canonicalRequest: string;
  try {
    canonicalRequest = buildCanonicalRequest({
      method: input.method,
      path: input.path,
      query: input.query,
      headers,
      signedHeaders,
      payloadHash: bodyHash,
    });
  } catch {
    return fail('malformed_request');
  }
  const stringToSign = [SDK_HMAC_SHA256, sdkDate, sha256Hex(canonicalRequest)].join('\n');
  const expected = createHmac('sha256', sk).update(stringToSign).digest();
  // Both are 32 bytes (the header's signature is exactly 64 hex digits); constant time so that the comparison
  // does not leak how much of a forged signature was right.
  if (!timingSafeEqual(Buffer.from(signature, 'hex'), expected)) return fail('signature_mismatch');
  // Temporary credentials also sign X-Security-Token; the AK itself must still be one of ours, so it adds nothing.
  return { ok: true, ak };
}
