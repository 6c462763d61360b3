import type { HeaderObject, OpenAPIObject, ResponseObject } from '@nestjs/swagger';

const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description:
      "The request's id (the caller's own `X-Request-Id` if it sent a plain one of at most 128 characters, " +
      'else a new UUID); every log line of the request carries it',
    schema: { type: 'string', example: '3f1c2a9e-8b7d-4c1e-9a55-2d0f6e4b7c10' },
  },
  'Retry-After': {
    description: 'Seconds until the next one-minute window of the creation limit opens',
    schema: { type: 'integer', example: 42 },
  },
  'X-RateLimit-Limit': {
    description: "The project's creation limit per minute (RATE_LIMIT_CREATE_PER_MINUTE)",
    schema: { type: 'integer', example: 30 },
  },
  'X-RateLimit-Remaining': {
    description: 'Creations left to the project in the current window',
    schema: { type: 'integer', example: 29 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends',
    schema: { type: 'integer', example: 42 },
  },
};

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });

/**
 * Documents the headers that hooks and guards add, which Nest's decorators cannot see: `X-Request-Id` on every
 * response (the onRequest hook), and on the operations under the creation limit (the only ones that answer 429)
 * `Retry-After` with the 429 and `X-RateLimit-*` with the success.
 */
export function documentResponseHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (!operation) continue;
      const responses = operation.responses as Record<string, ResponseObject>;
      const limited = '429' in responses;
      for (const [status, response] of Object.entries(responses)) {
        const added: Record<string, { $ref: string }> = { 'X-Request-Id': ref('X-Request-Id') };
        if (status === '429') added['Retry-After'] = ref('Retry-After');
        if (limited && status.startsWith('2')) {
          for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'])
            added[name] = ref(name);
        }
        response.headers = { ...added, ...response.headers };
      }
    }
  }
  document.components = { ...document.components, headers: HEADERS };
  return document;
}
