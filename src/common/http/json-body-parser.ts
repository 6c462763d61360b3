import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors/app-error';

/**
 * JSON bodies (the raw bytes stay on `request.rawBody` for request signatures). An empty body is no body:
 * Huawei Cloud SDKs send `Content-Type: application/json` on DELETE and GET too. `__proto__` and
 * `constructor.prototype` keys are refused rather than silently stripped.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  body: Buffer,
  done: (error: Error | null, parsed?: unknown) => void,
): void {
  if (body.length === 0) {
    done(null, undefined);
    return;
  }
  let parsed: unknown;
  try {
    parsed = secureJson.parse(body, undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch {
    done(new AppError('INVALID_PARAMETER', 'Request body is not valid JSON'));
    return;
  }
  done(null, parsed);
}

/** For media types Fastify or Nest would otherwise parse by default. */
export function refuseBody(
  _request: FastifyRequest,
  _body: Buffer,
  done: (error: Error | null) => void,
): void {
  done(new AppError('UNSUPPORTED_MEDIA_TYPE'));
}
