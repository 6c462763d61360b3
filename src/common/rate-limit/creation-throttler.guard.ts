import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * The throttler keyed by the path's project id, with one budget for all creating endpoints of a project
 * (the library's default keys by client IP and by handler). It runs as a route guard, so always after the
 * global AuthGuard: an unauthenticated request never spends a project's budget.
 */
@Injectable()
export class CreationThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const params = request['params'];
    const projectId =
      typeof params === 'object' && params !== null
        ? (params as Record<string, unknown>)['project_id']
        : undefined;
    if (typeof projectId !== 'string') {
      // A programming error (the decorator on a route without :project_id), not the caller's.
      return Promise.reject(new Error('@CreationRateLimit() needs a :project_id route parameter'));
    }
    return Promise.resolve(projectId);
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `creation:${throttlerName}:${tracker}`;
  }
}
