import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors/app-error';

/**
 * This API's bodies are flat objects of strings. Nesting and array sizes are bounded before validation, whose
 * recursion (class-transformer, class-validator) would otherwise overflow the stack on a few KB of `[[[[`.
 */
export const JSON_MAX_DEPTH = 32;
export const JSON_MAX_ARRAY_LENGTH = 1000;

/** Why a parsed body is refused, or undefined; iterative, so its own depth costs no stack. */
export function jsonShapeProblem(value: unknown): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > JSON_MAX_DEPTH)
      return `Request body is nested deeper than ${JSON_MAX_DEPTH} levels`;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (Array.isArray(current) && current.length > JSON_MAX_ARRAY_LENGTH)
      return `Request body has an array longer than ${JSON_MAX_ARRAY_LENGTH} items`;
    for (const child of children as unknown[]) pending.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}

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
  const problem = jsonShapeProblem(parsed);
  done(problem === undefined ? null : new AppError('INVALID_PARAMETER', problem), parsed);
}

/** For media types Fastify or Nest would otherwise parse by default. */
export function refuseBody(
  _request: FastifyRequest,
  _body: Buffer,
  done: (error: Error | null) => void,
): void {
  done(new AppError('UNSUPPORTED_MEDIA_TYPE'));
}
