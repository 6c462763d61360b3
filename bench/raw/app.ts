import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { gitCredential } from './credential';
import { RawError } from './errors';
import type { GitHubClient } from './github';
import { errorReply, jsonBody, ok, pathParam, send, type Headers, type Reply } from './http';
import { listAuthorizations } from './list';
import { authorizeUrl, completeOAuth } from './oauth';
import type { CreationLimiter } from './rate-limit';
import { type AuthorizationSecrets, MAX_PATH_PARAM_LENGTH, requestIdFor } from './service-parts';
import * as validate from './validation';
import type { GitHubApp } from './config';

export interface RawDeps {
  readonly pool: Pool;
  readonly secrets: AuthorizationSecrets;
  readonly github: GitHubClient;
  readonly apps: ReadonlyMap<string, GitHubApp>;
  readonly limiter: CreationLimiter;
  readonly bodyLimitBytes: number;
  readonly stateTtlSeconds: number;
  readonly credentialMinTtlSeconds: number;
}

const ROUTE = /^\/v1\/([^/]+)\/git\/auths(?:\/([^/]+)\/(redirect|oauth|credential))?$/;

/** The service's router refuses an over-long path parameter before routing. */
function hasOverlongParameter(path: string): boolean {
  const [, v1, project, git, auths, second] = path.split('/');
  if (v1 !== 'v1' || project === undefined) return false;
  const max = MAX_PATH_PARAM_LENGTH;
  return (
    project.length > max || (git === 'git' && auths === 'auths' && (second?.length ?? 0) > max)
  );
}

/** Connection failures and server shutdowns are the database being unavailable, not a bug. */
function isDatabaseOutage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string')
    return /Connection terminated|timeout exceeded/i.test(String(error));
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code) || /^(08|57P0)/.test(code);
}

/**
 * The request handler: the same routes, checks in the same order (body, rate limit, path and query
 * parameters, body fields, then the operation) and the same answers as the service, for the four operations
 * the benchmark measures and the health check. Every other path is 404.
 */
export function createHandler(deps: RawDeps) {
  const credentialDeps = { ...deps, minTtlSeconds: deps.credentialMinTtlSeconds };

  async function route(
    req: IncomingMessage,
    path: string,
    query: string,
    requestId: string,
  ): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (path === '/health' && method === 'GET') return ok({ status: 'ok' });
    if (path === '/health/ready' && method === 'GET') {
      try {
        await deps.pool.query('SELECT 1');
      } catch {
        throw new RawError('DATABASE_UNAVAILABLE');
      }
      return ok({ status: 'ok' });
    }
    if (hasOverlongParameter(path))
      throw new RawError('INVALID_PARAMETER', 'The request path is not valid');
    const match = ROUTE.exec(path);
    if (match === null) throw new RawError('ROUTE_NOT_FOUND');
    // The router decodes parameters (and refuses malformed ones) before anything else happens.
    const project = pathParam(match[1]);
    const second = match[2] === undefined ? '' : pathParam(match[2]);
    const operation = match[3];

    if (operation === undefined && method === 'GET') {
      return ok(await listAuthorizations(deps.pool, validate.projectId(project)));
    }
    if (operation === 'credential' && method === 'POST') {
      // Parsed (and refused) before the route's own headers apply, as in the service.
      await jsonBody(req, deps.bodyLimitBytes);
      const headers = { 'cache-control': 'no-store' };
      try {
        const projectId = validate.projectId(project);
        const name = validate.authorizationName(second);
        return ok(await gitCredential(credentialDeps, projectId, name, requestId), headers);
      } catch (error) {
        throw withHeaders(error, headers);
      }
    }
    const creating =
      (operation === 'redirect' && method === 'GET') ||
      (operation === 'oauth' && method === 'POST');
    if (!creating) throw new RawError('ROUTE_NOT_FOUND');

    const body = operation === 'oauth' ? await jsonBody(req, deps.bodyLimitBytes) : undefined;
    const limits = deps.limiter.hit(project);
    try {
      const projectId = validate.projectId(project);
      const tag = validate.tag(new URLSearchParams(query).getAll('tag'));
      if (operation === 'redirect')
        return ok(await authorizeUrl(deps, projectId, second, tag), limits);
      const callback = validate.oauthCallback(body);
      return ok(await completeOAuth(deps, projectId, second, tag, callback), limits);
    } catch (error) {
      throw withHeaders(error, limits);
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = requestIdFor(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    route(req, path, query, requestId).then(
      (reply) => send(res, requestId, reply),
      (error: unknown) => send(res, requestId, toErrorReply(error, requestId)),
    );
  };
}

/** An error leaving a route that already decided some response headers (rate limit, no-store). */
class WithHeaders extends Error {
  constructor(
    readonly error: unknown,
    readonly headers: Headers,
  ) {
    super('error with response headers');
  }
}

function withHeaders(error: unknown, headers: Headers): WithHeaders {
  return error instanceof WithHeaders ? error : new WithHeaders(error, headers);
}

function toErrorReply(error: unknown, requestId: string): Reply {
  const headers = error instanceof WithHeaders ? error.headers : undefined;
  const cause = error instanceof WithHeaders ? error.error : error;
  if (cause instanceof RawError) return errorReply(cause, headers);
  if (isDatabaseOutage(cause)) return errorReply(new RawError('DATABASE_UNAVAILABLE'), headers);
  console.error(JSON.stringify({ msg: 'request failed', requestId, err: String(cause) }));
  return errorReply(new RawError('INTERNAL'), headers);
}
