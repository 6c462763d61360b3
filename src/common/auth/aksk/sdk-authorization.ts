/** The `Authorization` and `X-Sdk-Date` headers of an SDK-HMAC-SHA256 request, parsed strictly. */

export const SDK_HMAC_SHA256 = 'SDK-HMAC-SHA256';

/** What an access key id may look like (Huawei Cloud AKs are 20 upper-case letters and digits). */
export const ACCESS_KEY_PATTERN = /^[A-Za-z0-9._~+/=-]{1,256}$/;

interface ParsedAuthorization {
  ak: string;
  signedHeaders: string[];
  /** 64 lower-case hex digits. */
  signature: string;
}

type AuthorizationParseFailure = 'unsupported_algorithm' | 'malformed_authorization';

// The SDK writes exactly `${alg} Access=${ak}, SignedHeaders=${names.join(';')}, Signature=${hex}`; anything
// looser would only widen what an attacker can play with.
const AUTHORIZATION_RE =
  /^SDK-HMAC-SHA256 Access=([A-Za-z0-9._~+/=-]{1,256}), SignedHeaders=([a-z0-9!#$%&'*+.^_`|~-]+(?:;[a-z0-9!#$%&'*+.^_`|~-]+)*), Signature=([0-9a-f]{64})$/;
const SDK_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function parseAuthorization(
  value: string,
): { ok: true; value: ParsedAuthorization } | { ok: false; reason: AuthorizationParseFailure } {
  // Another scheme (e.g. the derived `V11-HMAC-SHA256` signer) is told apart from a broken header for the logs.
  if (value.split(' ', 1)[0] !== SDK_HMAC_SHA256) {
    return { ok: false, reason: 'unsupported_algorithm' };
  }
  const match = AUTHORIZATION_RE.exec(value);
  if (!match) return { ok: false, reason: 'malformed_authorization' };
  const [, ak, names, signature] = match;
  const signedHeaders = names.split(';');
  if (new Set(signedHeaders).size !== signedHeaders.length) {
    return { ok: false, reason: 'malformed_authorization' };
  }
  return { ok: true, value: { ak, signedHeaders, signature } };
}

/** `YYYYMMDDTHHMMSSZ` (UTC) as epoch milliseconds; undefined when malformed or not a real instant. */
export function parseSdkDate(value: string): number | undefined {
  const match = SDK_DATE_RE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls month 13, Feb 30 or hour 24 over into a valid instant; such a date was not written by a signer.
  const back = new Date(time);
  const roundTrips =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return roundTrips ? time : undefined;
}
