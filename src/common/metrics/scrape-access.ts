import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Who may read /metrics. With METRICS_TOKEN, only `Authorization: Bearer <METRICS_TOKEN>` (compared in constant
 * time). Without it, the metrics port is open (it is meant for the scrape network, not published), and the
 * service's port is open only when caller authentication is off: there, anyone who reaches the API would read
 * the service's traffic figures, and a reverse proxy on the same host makes a "local callers only" rule useless.
 */
export class ScrapeAccess {
  private readonly expected?: Buffer;

  constructor(
    token: string | undefined,
    readonly openWithoutToken: boolean,
  ) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  get requiresToken(): boolean {
    return this.expected !== undefined;
  }

  /** Whether the answer may be given; false means 401. */
  allows(authorization: string | string[] | undefined): boolean {
    if (this.expected === undefined) return this.openWithoutToken;
    const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    // Digests of equal length: the comparison takes the same time whatever was sent.
    return token !== undefined && timingSafeEqual(digest(token), this.expected);
  }
}
