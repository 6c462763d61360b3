import { Controller, Get, Logger, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { AuthConfig } from '../../config/auth.config';
import { AppError } from '../errors/app-error';
import { AuthGuard } from './auth.guard';
import { type Authentication, type CallerRequest, UNAUTHENTICATED_CALLER } from './caller';
import { type RequestContext, runWithRequestContext } from '../logging/request-context';
import { Public } from './public.decorator';
import { RequestAuthenticator } from './request-authenticator';

const PROJECT = '0123456789abcdef0123456789abcdef';

@Controller()
class Routes {
  @Get()
  guarded(): void {}

  @Public()
  @Get()
  open(): void {}
}

@Public()
@Controller()
class OpenRoutes {
  @Get()
  anything(): void {}
}

interface FakeRequest extends CallerRequest {
  params: Record<string, string>;
}

function request(
  params: Record<string, string>,
  headers: Record<string, string> = {},
): FakeRequest {
  return { method: 'GET', url: '/', headers, params };
}

/** The context Nest gives a guard for `controller.method`. */
function context(req: FakeRequest, method: string, controller: Type<unknown> = Routes) {
  const handler = Reflect.get(controller.prototype as object, method) as () => void;
  return new ExecutionContextHost([req, {}], controller, handler);
}

/** Answers what the test says, and fails the test when it was not expected to run. */
class FakeAuthenticator extends RequestAuthenticator {
  constructor(private readonly result?: Authentication) {
    super({ mode: 'none' });
  }

  override authenticate(): Promise<Authentication> {
    if (this.result === undefined) throw new Error('authenticate() should not have been called');
    return Promise.resolve(this.result);
  }
}

const IAM: AuthConfig = { mode: 'iam' };
const caller = (projectIds: string[]): Authentication => ({
  ok: true,
  caller: { scheme: 'aksk', subject: 'AK1', projectIds },
});

function guard(result?: Authentication, config: AuthConfig = IAM): AuthGuard {
  return new AuthGuard(new Reflector(), new FakeAuthenticator(result), config);
}

async function refusal(promise: Promise<boolean>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.key : String(error);
  }
}

describe('AuthGuard', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('lets @Public() routes and controllers through without looking at credentials', async () => {
    await expect(guard().canActivate(context(request({}), 'open'))).resolves.toBe(true);
    const openContext = context(request({}), 'anything', OpenRoutes);
    await expect(guard().canActivate(openContext)).resolves.toBe(true);
  });

  it('lets everything through with AUTH_MODE=none', async () => {
    const none = guard(undefined, { mode: 'none' });
    await expect(none.canActivate(context(request({}), 'guarded'))).resolves.toBe(true);
  });

  it('answers 401 when authentication fails', async () => {
    const failing = guard({ ok: false, reason: 'no_credentials' });
    const ctx = context(request({ project_id: PROJECT }), 'guarded');
    await expect(refusal(failing.canActivate(ctx))).resolves.toBe('UNAUTHENTICATED');
  });

  it('lets a caller act on its own project', async () => {
    const ctx = context(request({ project_id: PROJECT }), 'guarded');
    await expect(guard(caller([PROJECT])).canActivate(ctx)).resolves.toBe(true);
  });

  it.each<[string, FakeRequest]>([
    ['another project', request({ project_id: 'other' })],
    ['a route without a project id', request({})],
    [
      'an X-Project-Id that differs from the path',
      request({ project_id: PROJECT }, { 'x-project-id': 'other' }),
    ],
  ])('answers 403 for %s', async (_case, req) => {
    const ctx = context(req, 'guarded');
    await expect(refusal(guard(caller([PROJECT])).canActivate(ctx))).resolves.toBe('FORBIDDEN');
  });

  it('accepts an X-Project-Id equal to the path', async () => {
    const ctx = context(request({ project_id: PROJECT }, { 'x-project-id': PROJECT }), 'guarded');
    await expect(guard(caller([PROJECT])).canActivate(ctx)).resolves.toBe(true);
  });

  describe('the caller in the request context (what the audit trail records)', () => {
    /** Runs the guard inside a request context as the onRequest hook creates it; returns the context after. */
    function guarded(g: AuthGuard, req: FakeRequest): Promise<RequestContext> {
      const ctx: RequestContext = { requestId: 'req-1', caller: undefined };
      return new Promise((resolve, reject) => {
        runWithRequestContext(ctx, () => {
          g.canActivate(context(req, 'guarded')).then(() => resolve(ctx), reject);
        });
      });
    }

    it('is the authenticated caller', async () => {
      const ctx = await guarded(guard(caller([PROJECT])), request({ project_id: PROJECT }));
      expect(ctx.caller).toMatchObject({ scheme: 'aksk', subject: 'AK1' });
    });

    it('is the fixed unauthenticated marker with AUTH_MODE=none', async () => {
      const ctx = await guarded(
        guard(undefined, { mode: 'none' }),
        request({ project_id: PROJECT }),
      );
      expect(ctx.caller).toBe(UNAUTHENTICATED_CALLER);
    });

    it('stays unset when the caller is refused', async () => {
      const ctx: RequestContext = { requestId: 'req-2', caller: undefined };
      const outcome = await new Promise<string | undefined>((resolve) => {
        runWithRequestContext(ctx, () => {
          void refusal(
            guard(caller(['another'])).canActivate(
              context(request({ project_id: PROJECT }), 'guarded'),
            ),
          ).then(resolve);
        });
      });
      expect(outcome).toBe('FORBIDDEN');
      expect(ctx.caller).toBeUndefined();
    });
  });
});
