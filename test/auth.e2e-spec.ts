import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import type { HcClient, HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { ServiceResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError } from './support/errors';
import { ecKeyPair, rsaKeyPair, signJwt, unsecuredJwt } from './support/jwt';
import { sdkSign, wirePath } from './support/signing';
import { startTestApp, type TestApp, type TestResponse } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
const FOREIGN_PROJECT = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const RATE_PROJECT = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const RATE_OTHER_PROJECT = 'cccccccccccccccccccccccccccccccc';
const AK = 'TESTAK1234567890ABCD';
const SK = 'TESTSK0987654321abcdefTESTSK0987654321ab';
const FOREIGN_AK = 'FOREIGNAK12345678901';
const FOREIGN_SK = 'FOREIGNSK0987654321abcdefFOREIGNSK098765';
const HS_SECRET = 'an-hs256-secret-that-is-long-enough-0123456789';
const RATE_LIMIT = 3;

const OAUTH_BODY = { name: 'my-auth', code: '04bed2df009f3fc9abcd', state: 'some-state' };
const auths = (projectId: string) => `/v1/${projectId}/git/auths`;

/** Neither 401 nor 403: the endpoints behind the guard may still be work in progress (404, 400). */
function expectAccepted(response: TestResponse): void {
  expect({ status: response.status, refused: [401, 403].includes(response.status) }).toEqual({
    status: response.status,
    refused: false,
  });
}

function withTempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'git-auth-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

let db: TestDatabase;
let dir: { path: string; remove: () => void };
let keysFile: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = withTempDir();
  keysFile = join(dir.path, 'access-keys.json');
  writeFileSync(
    keysFile,
    JSON.stringify([
      { ak: AK, sk: SK, project_ids: [PROJECT, OTHER_PROJECT, RATE_PROJECT, RATE_OTHER_PROJECT] },
      { ak: FOREIGN_AK, sk: FOREIGN_SK, project_ids: [FOREIGN_PROJECT] },
    ]),
  );
});

afterAll(async () => {
  await db?.drop();
  dir?.remove();
});

describe('AUTH_MODE=iam with AK/SK and an RS256 public key', () => {
  const rsa = rsaKeyPair();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'iam',
      AUTH_ACCESS_KEYS_FILE: keysFile,
      AUTH_JWT_PUBLIC_KEY: rsa.publicPem,
      RATE_LIMIT_CREATE_PER_MINUTE: String(RATE_LIMIT),
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  interface SignedCall {
    method: string;
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    ak?: string;
    sk?: string;
    /** X-Project-Id; the path's project by default. */
    projectId?: string;
    date?: Date;
  }

  /** Signs with the official SDK signer, then lets the test change the request before it is sent. */
  function signed(call: SignedCall) {
    const headers = sdkSign({
      endpoint: t.baseUrl,
      method: call.method,
      path: call.path,
      query: call.query,
      body: call.body,
      ak: call.ak ?? AK,
      sk: call.sk ?? SK,
      projectId: call.projectId ?? call.path.split('/')[2],
      date: call.date,
    });
    return {
      headers,
      send: (changes: { path?: string; body?: string; headers?: Record<string, string> } = {}) =>
        t.request(call.method, changes.path ?? wirePath(call.path, call.query), {
          rawBody:
            changes.body ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
          headers: { ...headers, ...changes.headers },
        }),
    };
  }

  const send = (call: SignedCall) => signed(call).send();

  describe('AK/SK signatures of the official SDK signer', () => {
    it('accepts a GET (list)', async () => {
      const res = await send({ method: 'GET', path: auths(PROJECT) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ authorizations: [], count: 0 });
    });

    it('accepts a GET with a query string (?tag=intl)', async () => {
      expectAccepted(
        await send({
          method: 'GET',
          path: `${auths(PROJECT)}/github/redirect`,
          query: { tag: 'intl' },
        }),
      );
    });

    it('accepts a POST with a JSON body and ?tag=intl', async () => {
      expectAccepted(
        await send({
          method: 'POST',
          path: `${auths(PROJECT)}/github/oauth`,
          query: { tag: 'intl' },
          body: OAUTH_BODY,
        }),
      );
    });

    it('accepts a DELETE', async () => {
      expectAccepted(await send({ method: 'DELETE', path: `${auths(PROJECT)}/some-name` }));
    });

    describe('refuses with 401 a request changed after signing', () => {
      const post = (): SignedCall => ({
        method: 'POST',
        path: `${auths(PROJECT)}/github/oauth`,
        query: { tag: 'intl' },
        body: OAUTH_BODY,
      });

      it('body', async () => {
        const body = JSON.stringify({ ...OAUTH_BODY, code: 'another-code' });
        expectError(await signed(post()).send({ body }), 'UNAUTHENTICATED');
      });

      it('path', async () => {
        const path = `${auths(PROJECT)}/gitlab/oauth?tag=intl`;
        expectError(await signed(post()).send({ path }), 'UNAUTHENTICATED');
      });

      it('path project', async () => {
        const path = `${auths(OTHER_PROJECT)}/github/oauth?tag=intl`;
        expectError(await signed(post()).send({ path }), 'UNAUTHENTICATED');
      });

      it('query', async () => {
        const path = `${auths(PROJECT)}/github/oauth?tag=cn`;
        expectError(await signed(post()).send({ path }), 'UNAUTHENTICATED');
      });

      it('date', async () => {
        const call = signed(post());
        const date = call.headers['X-Sdk-Date'];
        const later = date.replace(/(\d)Z$/, (_m, d: string) => `${(Number(d) + 1) % 10}Z`);
        expectError(await call.send({ headers: { 'X-Sdk-Date': later } }), 'UNAUTHENTICATED');
      });
    });

    it('refuses a correctly signed request from 20 minutes ago', async () => {
      const date = new Date(Date.now() - 20 * 60_000);
      expectError(await send({ method: 'GET', path: auths(PROJECT), date }), 'UNAUTHENTICATED');
    });

    it('refuses a signature made with a wrong secret key', async () => {
      const res = await send({ method: 'GET', path: auths(PROJECT), sk: FOREIGN_SK });
      expectError(res, 'UNAUTHENTICATED');
    });

    it('refuses an unknown access key', async () => {
      const res = await send({ method: 'GET', path: auths(PROJECT), ak: 'UNKNOWNAK00000000000' });
      expectError(res, 'UNAUTHENTICATED');
    });

    it('answers 403 for a valid signature of a key without this project', async () => {
      const res = await send({
        method: 'GET',
        path: auths(PROJECT),
        ak: FOREIGN_AK,
        sk: FOREIGN_SK,
      });
      expectError(res, 'FORBIDDEN');
    });

    it('answers 403 when X-Project-Id names another project than the path', async () => {
      const res = await send({ method: 'GET', path: auths(PROJECT), projectId: OTHER_PROJECT });
      expectError(res, 'FORBIDDEN');
    });

    it('says the same whatever the reason, and logs the reason without secrets', async () => {
      const unknownKey = await send({
        method: 'GET',
        path: auths(PROJECT),
        ak: 'UNKNOWNAK00000000000',
      });
      const badSignature = await send({ method: 'GET', path: auths(PROJECT), sk: FOREIGN_SK });
      const none = await t.request('GET', auths(PROJECT));
      expect(new Set([unknownKey.text, badSignature.text, none.text]).size).toBe(1);

      const forbiddenReal = await send({ method: 'GET', path: auths(FOREIGN_PROJECT) });
      const forbiddenMadeUp = await send({
        method: 'GET',
        path: auths('dddddddddddddddddddddddddddddddd'),
        projectId: 'dddddddddddddddddddddddddddddddd',
      });
      expect(forbiddenReal.text).toBe(forbiddenMadeUp.text);

      const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'authentication refused', reason: 'signature_mismatch' }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'authentication refused', reason: 'unknown_access_key' }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'project access denied', reason: 'project_not_granted' }),
      );
      const all = t.logs.join('\n');
      expect(all).not.toContain(SK);
      expect(all).not.toContain(FOREIGN_SK);
      expect(all).not.toMatch(/Signature=[0-9a-f]{64}/);
    });
  });

  describe('the SDK client itself (HcClient)', () => {
    let home: { path: string; remove: () => void };

    beforeAll(() => {
      // The client writes an application id under ~/.huaweicloud; os.homedir() ignores Jest's process.env.
      home = withTempDir();
      jest.spyOn(os, 'homedir').mockReturnValue(home.path);
    });

    afterAll(() => {
      jest.restoreAllMocks();
      home.remove();
    });

    function client(ak: string, sk: string, projectId: string): HcClient {
      const credentials = new BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
      return new ClientBuilder<HcClient>((hc) => hc)
        .withEndpoint(t.baseUrl)
        .withCredential(credentials)
        .build();
    }

    /** Options shaped like the generated ServiceStage client's. */
    function options(o: Partial<HttpRequestOptions> & { method: string; url: string }) {
      return {
        contentType: 'application/json',
        queryParams: {},
        pathParams: {},
        headers: {},
        ...o,
      };
    }

    async function statusOf(call: Promise<unknown>): Promise<number | string | undefined> {
      try {
        await call;
        return 200;
      } catch (error) {
        if (error instanceof ServiceResponseException) return error.httpStatusCode;
        throw error;
      }
    }

    it('lists and posts through the real client', async () => {
      const sdk = client(AK, SK, PROJECT);
      await expect(
        sdk.sendRequest(options({ method: 'GET', url: '/v1/{project_id}/git/auths' })),
      ).resolves.toMatchObject({ count: 0 });
      const created = await statusOf(
        sdk.sendRequest(
          options({
            method: 'POST',
            url: '/v1/{project_id}/git/auths/{repo_type}/oauth',
            pathParams: { repo_type: 'github' },
            queryParams: { tag: 'intl' },
            headers: { 'Content-Type': 'application/json' },
            data: OAUTH_BODY,
          }),
        ),
      );
      expect([401, 403]).not.toContain(created);
      expect(existsSync(join(home.path, '.huaweicloud'))).toBe(true);
    });

    it('gets an error the SDK parses: code, message and request id', async () => {
      const sdk = client(FOREIGN_AK, FOREIGN_SK, PROJECT);
      const error = await sdk
        .sendRequest(options({ method: 'GET', url: '/v1/{project_id}/git/auths' }))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ServiceResponseException);
      expect(error).toMatchObject({
        httpStatusCode: 403,
        errorCode: 'SVCSTG.REPO.0411',
        errorMsg: 'Access to this project is denied',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      });
    });
  });

  describe('X-Auth-Token (RS256)', () => {
    const token = (claims: Record<string, unknown>, expiresIn?: number) =>
      signJwt(claims, { alg: 'RS256', key: rsa.privateKey, expiresIn });
    const list = (headers: Record<string, string>) => t.request('GET', auths(PROJECT), { headers });

    it('accepts a valid token for the project', async () => {
      const res = await list({ 'x-auth-token': await token({ project_id: PROJECT }) });
      expect(res.status).toBe(200);
    });

    it('accepts a project claim that lists several projects', async () => {
      const res = await list({
        'x-auth-token': await token({ project_id: [OTHER_PROJECT, PROJECT] }),
      });
      expect(res.status).toBe(200);
    });

    it('refuses an expired token', async () => {
      expectError(
        await list({ 'x-auth-token': await token({ project_id: PROJECT }, -300) }),
        'UNAUTHENTICATED',
      );
    });

    it('refuses a token signed by another key', async () => {
      const forged = await signJwt(
        { project_id: PROJECT },
        { alg: 'RS256', key: rsaKeyPair().privateKey },
      );
      expectError(await list({ 'x-auth-token': forged }), 'UNAUTHENTICATED');
    });

    it('refuses alg none', async () => {
      expectError(
        await list({ 'x-auth-token': unsecuredJwt({ project_id: PROJECT }) }),
        'UNAUTHENTICATED',
      );
    });

    it('refuses HS256 keyed with the public key', async () => {
      const confused = await signJwt(
        { project_id: PROJECT },
        { alg: 'HS256', key: new TextEncoder().encode(rsa.publicPem) },
      );
      expectError(await list({ 'x-auth-token': confused }), 'UNAUTHENTICATED');
    });

    it('answers 403 for a token of another project', async () => {
      expectError(
        await list({ 'x-auth-token': await token({ project_id: OTHER_PROJECT }) }),
        'FORBIDDEN',
      );
    });

    it('refuses a request without credentials', async () => {
      expectError(await list({}), 'UNAUTHENTICATED');
    });

    it('refuses a request carrying both X-Auth-Token and an AK/SK signature', async () => {
      const headers = signed({ method: 'GET', path: auths(PROJECT) }).headers;
      const res = await list({ ...headers, 'x-auth-token': await token({ project_id: PROJECT }) });
      expectError(res, 'UNAUTHENTICATED');
    });

    it('never logs the token', async () => {
      const secretToken = await token({ project_id: OTHER_PROJECT });
      await list({ 'x-auth-token': secretToken });
      expect(t.logs.join('\n')).not.toContain(secretToken.split('.')[2]);
    });
  });

  describe('open endpoints', () => {
    it('serves health without credentials', async () => {
      expect((await t.request('GET', '/health')).status).toBe(200);
      expect((await t.request('GET', '/health/ready')).status).toBe(200);
    });

    it('serves the docs without credentials, describing both schemes', async () => {
      expect((await t.request('GET', '/docs')).status).toBe(200);
      const res = await t.request<{
        security: Record<string, string[]>[];
        components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      }>('GET', '/docs-json');
      expect(res.status).toBe(200);
      expect(res.body.components.securitySchemes).toMatchObject({
        'x-auth-token': { type: 'apiKey', in: 'header', name: 'X-Auth-Token' },
        aksk: { type: 'apiKey', in: 'header', name: 'Authorization' },
      });
      expect(res.body.security).toEqual([{ 'x-auth-token': [] }, { aksk: [] }]);
      expect(res.body.paths['/health'].get.security).toEqual([{}]);
      expect(res.body.paths['/v1/{project_id}/git/auths'].get.security).toBeUndefined();
    });
  });

  describe('creation rate limit (per project)', () => {
    const create = (projectId: string) =>
      send({
        method: 'POST',
        path: `${auths(projectId)}/github/oauth`,
        query: { tag: 'intl' },
        body: OAUTH_BODY,
      });

    it(`answers 429 to creation ${RATE_LIMIT + 1} of a project within a minute, not to another project`, async () => {
      // Unauthenticated attempts first: they must not spend the project's budget.
      for (let i = 0; i <= RATE_LIMIT; i++) {
        expectError(
          await t.request('POST', `${auths(RATE_PROJECT)}/github/oauth?tag=intl`, {
            body: OAUTH_BODY,
          }),
          'UNAUTHENTICATED',
        );
      }
      for (let i = 0; i < RATE_LIMIT; i++)
        expect((await create(RATE_PROJECT)).status).not.toBe(429);
      const limited = await create(RATE_PROJECT);
      expectError(limited, 'RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await create(RATE_OTHER_PROJECT)).status).not.toBe(429);
    });
  });
});

describe('X-Auth-Token with an ES256 public key', () => {
  const ec = ecKeyPair();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'iam',
      AUTH_JWT_PUBLIC_KEY: ec.publicPem,
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('accepts an ES256 token and refuses one signed with another algorithm', async () => {
    const good = await signJwt({ project_id: PROJECT }, { alg: 'ES256', key: ec.privateKey });
    expect(
      (await t.request('GET', auths(PROJECT), { headers: { 'x-auth-token': good } })).status,
    ).toBe(200);
    const rs = await signJwt(
      { project_id: PROJECT },
      { alg: 'RS256', key: rsaKeyPair().privateKey },
    );
    expectError(
      await t.request('GET', auths(PROJECT), { headers: { 'x-auth-token': rs } }),
      'UNAUTHENTICATED',
    );
  });

  it('refuses AK/SK signatures when no access keys file is configured', async () => {
    const headers = sdkSign({
      endpoint: t.baseUrl,
      method: 'GET',
      path: auths(PROJECT),
      ak: AK,
      sk: SK,
      projectId: PROJECT,
    });
    expectError(await t.request('GET', auths(PROJECT), { headers }), 'UNAUTHENTICATED');
  });
});

describe('X-Auth-Token with an HS256 secret', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url, AUTH_MODE: 'iam', AUTH_JWT_SECRET: HS_SECRET });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('accepts a token signed with the secret and refuses one signed with another', async () => {
    const good = await signJwt(
      { project_id: PROJECT },
      { alg: 'HS256', key: new TextEncoder().encode(HS_SECRET) },
    );
    expect(
      (await t.request('GET', auths(PROJECT), { headers: { 'x-auth-token': good } })).status,
    ).toBe(200);
    const bad = await signJwt(
      { project_id: PROJECT },
      { alg: 'HS256', key: new TextEncoder().encode(`${HS_SECRET}-but-another`) },
    );
    expectError(
      await t.request('GET', auths(PROJECT), { headers: { 'x-auth-token': bad } }),
      'UNAUTHENTICATED',
    );
  });
});

describe('AUTH_MODE=none', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: db.url, AUTH_MODE: 'none' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('warns loudly at boot', () => {
    const warnings = t.logs
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        msg: expect.stringMatching(/^AUTH_MODE=none: AUTHENTICATION IS DISABLED/) as unknown,
      }),
    );
  });

  it('lets requests without credentials through', async () => {
    expect((await t.request('GET', auths(PROJECT))).status).toBe(200);
    expectAccepted(await t.request('DELETE', `${auths(PROJECT)}/some-name`));
  });
});

describe('start-up', () => {
  it('fails in iam mode without any way to check credentials, naming the variables', async () => {
    await expect(startTestApp({ DATABASE_URL: db.url, AUTH_MODE: 'iam' })).rejects.toThrow(
      /AUTH_MODE: .*AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET.*AUTH_ACCESS_KEYS_FILE/,
    );
  });

  it('fails with an access keys file that is not valid, naming it', async () => {
    const bad = join(dir.path, 'bad-keys.json');
    writeFileSync(bad, JSON.stringify([{ ak: AK, sk: 'short', project_ids: [PROJECT] }]));
    await expect(
      startTestApp({ DATABASE_URL: db.url, AUTH_ACCESS_KEYS_FILE: bad }),
    ).rejects.toThrow(`AUTH_ACCESS_KEYS_FILE: ${bad}: entry 1`);
  });
});
