import { PrismaService } from '../src/database/prisma.service';
import { expectError } from './support/errors';
import { AUTHORIZATION_VO_KEYS } from './support/wire';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';

interface ListBody {
  authorizations: Record<string, unknown>[];
  count: number;
}

describe('foundation: list endpoint, errors, request ids, swagger, health', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    // An empty database, migrated by the service at start-up: the production way.
    db = await createTestDatabase({ empty: true });
    t = await startTestApp({
      DATABASE_URL: db.url,
      DB_MIGRATE_ON_START: 'true',
      BODY_LIMIT_BYTES: '2048',
      AUTH_MODE: 'none',
    });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  async function insertRow(
    projectId: string,
    name: string,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await t.app.get(PrismaService).authorization.create({
      data: {
        projectId,
        name,
        repoType: 'gitlab',
        tag: 'intl',
        tokenType: 'oauth',
        repoHost: 'https://gitlab.com',
        apiUrl: 'https://gitlab.com/api/v4',
        repoHome: 'https://gitlab.com/jdoe',
        repoUser: 'jdoe',
        avatar: 'https://gitlab.com/uploads/jdoe.png',
        keyId: 'k1',
        secretSealed: Buffer.from('sealed-bytes'),
        refreshTokenSealed: Buffer.from('sealed-refresh'),
        ...extra,
      },
    });
  }

  it('migrated its empty database at start-up', () => {
    const line = t.logs
      .map((l) => JSON.parse(l) as { msg?: string; applied?: string[] })
      .find((l) => l.msg === 'migrations applied');
    expect(line?.applied?.length).toBeGreaterThanOrEqual(3);
  });

  describe('GET /v1/{project_id}/git/auths', () => {
    it('answers an empty list for a project without authorizations', async () => {
      const res = await t.request<ListBody>('GET', `/v1/${PROJECT}/git/auths`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toEqual({ authorizations: [], count: 0 });
    });

    it('lists exactly the AuthorizationVO fields of the project, oldest first, without any secret', async () => {
      await insertRow(PROJECT, 'first-auth', { createdAt: new Date('2026-01-01T00:00:00.123Z') });
      await insertRow(PROJECT, 'second-auth', {
        createdAt: new Date('2026-02-01T00:00:00Z'),
        status: 1,
      });
      await insertRow(OTHER_PROJECT, 'foreign-auth');

      const res = await t.request<ListBody>('GET', `/v1/${PROJECT}/git/auths`);
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(2);
      expect(res.body.authorizations.map((a) => a.name)).toEqual(['first-auth', 'second-auth']);
      const first = res.body.authorizations[0];
      expect(Object.keys(first).sort()).toEqual(AUTHORIZATION_VO_KEYS);
      expect(first).toMatchObject({
        name: 'first-auth',
        repo_type: 'gitlab',
        repo_host: 'https://gitlab.com',
        repo_home: 'https://gitlab.com/jdoe',
        repo_user: 'jdoe',
        avartar: 'https://gitlab.com/uploads/jdoe.png',
        token_type: 'oauth',
        tag: 'intl',
        status: 0,
        create_time: Date.parse('2026-01-01T00:00:00.123Z'),
      });
      expect(Number.isInteger(first.update_time)).toBe(true);
      expect(res.body.authorizations[1].status).toBe(1);
      expect(res.text).not.toMatch(/sealed|secret|token"|refresh|key_id/);

      const other = await t.request<ListBody>('GET', `/v1/${OTHER_PROJECT}/git/auths`);
      expect(other.body.authorizations.map((a) => a.name)).toEqual(['foreign-auth']);
    });

    it.each([
      ['too long', 'a'.repeat(65)],
      ['underscore', 'abc_def'],
      ['dot', 'abc.def'],
      ['encoded slash', 'abc%2Fdef'],
    ])('refuses a project id that is %s with 0400', async (_case, projectId) => {
      const res = await t.request('GET', `/v1/${projectId}/git/auths`);
      expectError(res, 'INVALID_PARAMETER', /project_id/);
    });
  });

  describe('errors', () => {
    it('answers an unknown route with 404 SVCSTG.REPO.0404', async () => {
      expectError(await t.request('GET', '/v1/nope'), 'ROUTE_NOT_FOUND');
      expectError(await t.request('PUT', `/v1/${PROJECT}/git/auths`), 'ROUTE_NOT_FOUND');
    });

    it('answers an unexpected failure with a generic 500 and logs it with the request id', async () => {
      // A row sealed with a key the service does not have (an operator removed it): our fault, not the caller's.
      await insertRow(PROJECT, 'unsealable', { keyId: 'removed-key' });
      const res = await t.request('POST', `/v1/${PROJECT}/git/auths/unsealable/credential`);
      expectError(res, 'INTERNAL', /^Internal error$/);
      const id = res.headers.get('x-request-id');
      const line = t.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'request failed' && l.requestId === id);
      expect(line).toMatchObject({
        level: 50,
        errorCode: 'SVCSTG.REPO.0500',
        err: { type: 'UnsealError' },
      });
    });

    it('answers a body over the limit with 413', async () => {
      const res = await t.request('POST', `/v1/${PROJECT}/git/auths/github/oauth`, {
        rawBody: JSON.stringify({ name: 'x'.repeat(4096) }),
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 'PAYLOAD_TOO_LARGE');
    });

    it('answers paths the router cannot read (a bad escape, a 200-character segment) with 0400', async () => {
      expectError(
        await t.request('GET', `/v1/${PROJECT}/git/auths/%E0%A4%A`),
        'INVALID_PARAMETER',
        /path/,
      );
      expectError(
        await t.request('GET', `/v1/${'a'.repeat(200)}/git/auths`),
        'INVALID_PARAMETER',
        /path/,
      );
    });

    it('answers a form-encoded body with 415', async () => {
      const res = await t.request('POST', `/v1/${PROJECT}/git/auths/github/oauth`, {
        rawBody: 'name=abcd&code=x&state=y',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectError(res, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers a non-JSON body with 415', async () => {
      const res = await t.request('POST', `/v1/${PROJECT}/git/auths/github/oauth`, {
        rawBody: 'name=x',
        headers: { 'content-type': 'text/plain' },
      });
      expectError(res, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('X-Request-Id', () => {
    it('echoes a sane caller id', async () => {
      const res = await t.request('GET', `/v1/${PROJECT}/git/auths`, {
        headers: { 'x-request-id': 'abc-123.x:y_z' },
      });
      expect(res.headers.get('x-request-id')).toBe('abc-123.x:y_z');
    });

    it('replaces an id that could inject into logs', async () => {
      const res = await t.request('GET', `/v1/${PROJECT}/git/auths`, {
        headers: { 'x-request-id': 'a b{"x":1}' },
      });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('is generated when absent, on errors too, and written in the access log', async () => {
      const res = await t.request('GET', '/nowhere');
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const line = t.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.requestId === id);
      expect(line).toMatchObject({ msg: 'request completed', statusCode: 404, url: '/nowhere' });
    });
  });

  describe('swagger', () => {
    it('serves the OpenAPI document with the list operation and the one error schema', async () => {
      const res = await t.request<{
        paths: Record<
          string,
          Record<string, { operationId: string; responses: Record<string, unknown> }>
        >;
        components: { schemas: Record<string, unknown> };
      }>('GET', '/docs-json');
      expect(res.status).toBe(200);
      const list = res.body.paths['/v1/{project_id}/git/auths'].get;
      expect(list.operationId).toBe('listAuthorizations');
      expect(JSON.stringify(list.responses['400'])).toContain('#/components/schemas/ErrorResponse');
      expect(res.body.components.schemas.ErrorResponse).toBeDefined();
      expect(res.body.components.schemas.AuthorizationVO).toBeDefined();
    });

    it('serves the UI at /docs', async () => {
      const res = await t.request('GET', '/docs');
      expect(res.status).toBe(200);
      expect(res.text).toContain('swagger-ui');
    });
  });

  describe('health', () => {
    it('is live and ready', async () => {
      expect((await t.request('GET', '/health')).body).toEqual({ status: 'ok' });
      expect((await t.request('GET', '/health/ready')).body).toEqual({ status: 'ok' });
    });
  });
});
