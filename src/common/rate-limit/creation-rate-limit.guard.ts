import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';
import { FixedWindowStorage } from './fixed-window.storage';

/**
 * One budget per project for all creating endpoints, keyed by the path's project id. It runs as a route guard,
 * so always after the global AuthGuard: an unauthenticated request never spends a project's budget. Our own
 * rather than @nestjs/throttler's guard, which looks up five metadata keys and resolves four options per
 * request for a limit that is fixed at start-up (issue 14).
 */
@Injectable()
export class CreationRateLimitGuard implements CanActivate {
  constructor(private readonly counters: FixedWindowStorage) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const params = http.getRequest<FastifyRequest>().params as
      Readonly<Record<string, unknown>> | undefined;
    const projectId = params?.['project_id'];
    if (typeof projectId !== 'string') {
      // A programming error (the decorator on a route without :project_id), not the caller's.
      throw new Error('@CreationRateLimit() needs a :project_id route parameter');
    }
    // The key @nestjs/throttler used, so that counters in a shared Redis carry over a rolling upgrade.
    const window = await this.counters.consume(`creation:default:${projectId}`);
    if (window.limited) {
      throw new AppError('RATE_LIMITED', undefined, { 'Retry-After': String(window.resetSeconds) });
    }
    void http
      .getResponse<FastifyReply>()
      .header('X-RateLimit-Limit', window.limit)
      .header('X-RateLimit-Remaining', window.remaining)
      .header('X-RateLimit-Reset', window.resetSeconds);
    return true;
  }
}
