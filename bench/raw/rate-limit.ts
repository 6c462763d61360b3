import { RawError } from './errors';
import type { Headers } from './http';

const WINDOW_MS = 60_000;

/**
 * Authorizations a project may create per minute, counted in fixed one-minute windows: one map lookup per
 * request whatever the limit. Answers the service's headers (X-RateLimit-*, Retry-After when refused).
 */
export class CreationLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly limit: number) {
    this.sweep = setInterval(() => this.forgetExpired(), WINDOW_MS);
    this.sweep.unref();
  }

  /** Counts one request of the project; throws 429 over the limit, else returns the headers to send. */
  hit(projectId: string): Headers {
    const now = Date.now();
    let window = this.windows.get(projectId);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + WINDOW_MS };
      this.windows.set(projectId, window);
    }
    window.count += 1;
    const seconds = Math.ceil((window.resetAt - now) / 1000);
    if (window.count > this.limit)
      throw new RawError('RATE_LIMITED', undefined, { 'retry-after': seconds });
    return {
      'x-ratelimit-limit': this.limit,
      'x-ratelimit-remaining': this.limit - window.count,
      'x-ratelimit-reset': seconds,
    };
  }

  close(): void {
    clearInterval(this.sweep);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
