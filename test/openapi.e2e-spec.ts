import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../src/app.module';
import { createOpenApiDocument } from '../src/common/http/swagger';
import { EXAMPLE_PROJECT_ID, SANDBOX_PERSONAL_TOKEN } from '../src/git-auth/dto/examples';
import { expectError } from './support/errors';
import { startStack, type Stack } from './support/stack';
import { startTestApp } from './support/test-app';

type Operation = {
  operationId: string;
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
};

function operations(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(
      ([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation],
    ),
  );
}

describe('OpenAPI document and Swagger UI', () => {
  let s: Stack;
  let served: OpenAPIObject;

  beforeAll(async () => {
    s = await startStack();
    served = (await s.t.request<OpenAPIObject>('GET', '/docs-json')).body;
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('is the document that npm run lint:openapi lints (built without a database)', async () => {
    const preview = await NestFactory.create(AppModule, new FastifyAdapter(), {
      preview: true,
      logger: false,
    });
    try {
      expect(served).toEqual(JSON.parse(JSON.stringify(createOpenApiDocument(preview))));
    } finally {
      await preview.close();
    }
  });

  it('names every operation and describes every response, each with its X-Request-Id', () => {
    for (const [name, op] of operations(served)) {
      expect(`${name}: ${op.operationId}`).toMatch(/: [a-z][A-Za-z]+$/);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(`${name} ${status}: ${response.description}`).toMatch(/: \S/);
        expect(response.headers).toHaveProperty('X-Request-Id');
      }
    }
  });

  it('documents the rate-limit headers the creating operations really send', async () => {
    const personal = operations(served).find(([name]) => name.endsWith('/personal'))?.[1];
    const documented = Object.keys(personal?.responses['200'].headers ?? {}).filter((h) =>
      h.startsWith('X-RateLimit-'),
    );
    expect(documented).toHaveLength(3);
    s.providers.fakes.github.issuePersonalToken(s.providers.users.github.username, {
      value: SANDBOX_PERSONAL_TOKEN,
    });
    const res = await s.t.request('POST', `/v1/${EXAMPLE_PROJECT_ID}/git/auths/github/personal`, {
      body: { name: 'rate-headers', token: SANDBOX_PERSONAL_TOKEN },
    });
    expect(res.status).toBe(200);
    for (const header of [...documented, 'X-Request-Id'])
      expect(res.headers.get(header)).toMatch(/\S/);
  });

  it('keeps what was entered with Authorize across reloads, and asks no outside validator', async () => {
    const init = await s.t.request('GET', '/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*true/);
    expect(init.text).toMatch(/"validatorUrl":\s*null/);
  });

  it('is off with DOCS_ENABLED=false: /docs and /docs-json are unknown routes', async () => {
    const t = await startTestApp({
      ...s.providers.env,
      DATABASE_URL: s.db.url,
      AUTH_MODE: 'none',
      DOCS_ENABLED: 'false',
    });
    try {
      expectError(await t.request('GET', '/docs'), 'ROUTE_NOT_FOUND');
      expectError(await t.request('GET', '/docs-json'), 'ROUTE_NOT_FOUND');
      expect((await t.request('GET', '/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
