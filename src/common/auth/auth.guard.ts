import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { authConfig, type AuthConfig } from '../../config/auth.config';
import { AppError } from '../errors/app-error';
import { setRequestCaller } from '../logging/request-context';
import { headerValue } from './aksk/sdk-canonical-request';
import { type Caller, type CallerRequest, UNAUTHENTICATED_CALLER } from './caller';
import { IS_PUBLIC_KEY } from './public.decorator';
import { RequestAuthenticator } from './request-authenticator';

type GuardedRequest = FastifyRequest & CallerRequest;

/**
 * Runs before every route that is not @Public(): no or bad credentials -> 401 SVCSTG.REPO.0410; credentials
 * that do not cover the path's project -> 403 SVCSTG.REPO.0411. The answers say nothing about why (that
 * would tell a prober which keys or projects exist); the reason goes to the log.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.mode === 'none') {
      setRequestCaller(UNAUTHENTICATED_CALLER);
      return true;
    }
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();

    const authentication = await this.authenticator.authenticate(request);
    if (!authentication.ok) {
      const { scheme, reason } = authentication;
      this.logger.log({ msg: 'authentication refused', scheme, reason });
      throw new AppError('UNAUTHENTICATED');
    }

    const { caller } = authentication;
    const projectId = pathProjectId(request);
    const denial = projectDenial(caller, projectId, headerValue(request.headers['x-project-id']));
    if (denial !== undefined) {
      const { scheme, subject } = caller;
      this.logger.log({ msg: 'project access denied', scheme, subject, projectId, reason: denial });
      throw new AppError('FORBIDDEN');
    }
    // Whoever records what this request does (the audit trail) reads the caller from the request context.
    setRequestCaller(caller);
    this.logger.debug({
      msg: 'caller authenticated',
      scheme: caller.scheme,
      subject: caller.subject,
    });
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

/** Every protected route is under `/v1/:project_id/`; Fastify has decoded it by the time guards run. */
function pathProjectId(request: FastifyRequest): string | undefined {
  const params = request.params;
  if (typeof params !== 'object' || params === null) return undefined;
  const projectId = (params as Record<string, unknown>)['project_id'];
  return typeof projectId === 'string' ? projectId : undefined;
}

function projectDenial(
  caller: Caller,
  projectId: string | undefined,
  headerProjectId: string | undefined,
): string | undefined {
  // A protected route without a project cannot be scoped; refusing keeps a future route from being open by mistake.
  if (projectId === undefined) return 'route_without_project_id';
  if (!caller.projectIds.includes(projectId)) return 'project_not_granted';
  // The SDK sends X-Project-Id; a different value means the client is confused about its target.
  if (headerProjectId !== undefined && headerProjectId !== projectId) {
    return 'x_project_id_differs_from_path';
  }
  return undefined;
}
