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
  'Provider-Retry-After': {
    description:
      "Seconds the git provider asks to wait: its own Retry-After, else until its rate limit's window resets",
    schema: { type: 'integer', example: 60 },
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

/** Whether a 429 is the creation limit's (SVCSTG.REPO.0429), not a git provider's rate limit passed on (0457). */
function isCreationLimit(response: ResponseObject | undefined): boolean {
  return JSON.stringify(response?.content ?? {}).includes('SVCSTG.REPO.0429');
}

/**
 * Documents the headers that hooks and guards add, which Nest's decorators cannot see: `X-Request-Id` on every
 * response (the onRequest hook), and on the operations under the creation limit `Retry-After` with the 429 and
 * `X-RateLimit-*` with the success. A repository operation's 429 is the provider's: its `Retry-After` is the
 * provider's wait.
 */
export function documentResponseHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      if (!operation) continue;
      const responses = operation.responses as Record<string, ResponseObject>;
      const limited = isCreationLimit(responses['429']);
      for (const [status, response] of Object.entries(responses)) {
        const added: Record<string, { $ref: string }> = { 'X-Request-Id': ref('X-Request-Id') };
        if (status === '429')
          added['Retry-After'] = ref(limited ? 'Retry-After' : 'Provider-Retry-After');
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
