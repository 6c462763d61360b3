import type { HeaderBag } from './aksk/sdk-canonical-request';

/** How a caller proved who it is; also the names of the two OpenAPI security schemes. */
export type AuthScheme = 'x-auth-token' | 'aksk';

/** Who made a request, as logs and the audit trail name it. */
export interface CallerIdentity {
  /** `none`: the service runs with AUTH_MODE=none and authenticated nobody. */
  readonly scheme: AuthScheme | 'none';
  /** The JWT's `sub` or the access key id: for logs, never a secret. */
  readonly subject: string;
}

/** The identity of every request when AUTH_MODE=none (one shared object: nothing allocated per request). */
export const UNAUTHENTICATED_CALLER: CallerIdentity = Object.freeze({
  scheme: 'none',
  subject: '-',
});

export interface Caller extends CallerIdentity {
  readonly scheme: AuthScheme;
  /** Projects the credentials may act on. */
  readonly projectIds: readonly string[];
}

export type Authentication =
  { ok: true; caller: Caller } | { ok: false; scheme?: AuthScheme; reason: string };

/** What authentication reads from an HTTP request (a FastifyRequest with Nest's rawBody fits). */
export interface CallerRequest {
  readonly method: string;
  /** Path and query exactly as on the wire. */
  readonly url: string;
  readonly headers: HeaderBag;
  /** Raw body bytes, set for JSON bodies; absent when there is no body. */
  readonly rawBody?: Buffer;
}
