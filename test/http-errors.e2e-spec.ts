import { ERRORS, type ErrorKey } from '../src/common/errors/error-codes';
import { rawHttp, type RawResponse } from './support/raw-http';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { errorLines } from './support/logs';

const LIST = '/v1/0123456789abcdef0123456789abcdef/git/auths';

/** The SVCSTG body, its content type and a request id — on answers Node's parser or Fastify produce too. */
function expectRawError(res: RawResponse, key: ErrorKey, closes: boolean): void {
  expect({ status: res.status, body: JSON.parse(res.body) as unknown }).toEqual({
    status: ERRORS[key].status,
    body: { error_code: ERRORS[key].code, error_msg: expect.any(String) as string },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-request-id']).toMatch(/^[0-9a-zA-Z._:-]{1,128}$/);
  if (closes) {
    expect(res.headers.connection).toBe('close');
    expect(res.closed).toBe(true);
  }
}

describe('HTTP-level errors: SVCSTG bodies for what the HTTP layer refuses', () => {
  let db: TestDatabase;
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, AUTH_MODE: 'none', REQUEST_TIMEOUT_MS: '1000' });
    port = Number(new URL(t.baseUrl).port);
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('an unknown method: 400, connection closed', async () => {
    expectRawError(
      await rawHttp(port, `FOO ${LIST} HTTP/1.1\r\nHost: x\r\n\r\n`),
      'INVALID_PARAMETER',
      true,
    );
  });

  it('a method Node knows but no route serves: 404 0404', async () => {
    const res = await rawHttp(
      port,
      `PROPFIND ${LIST} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expectRawError(res, 'ROUTE_NOT_FOUND', false);
  });

  it('CONNECT (Node would drop the connection unanswered): 404 0404, connection closed', async () => {
    expectRawError(
      await rawHttp(port, 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n'),
      'ROUTE_NOT_FOUND',
      true,
    );
  });

  it('a malformed request line: 400, connection closed', async () => {
    expectRawError(await rawHttp(port, 'GET\r\n\r\n'), 'INVALID_PARAMETER', true);
    expectRawError(await rawHttp(port, '\u0000\u0001garbage\r\n\r\n'), 'INVALID_PARAMETER', true);
  });

  it('20 KB of headers: 431 0431, connection closed', async () => {
    const res = await rawHttp(
      port,
      `GET ${LIST} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectRawError(res, 'HEADERS_TOO_LARGE', true);
  });

  it('HTTP/1.1 without Host: 400 0400; HTTP/1.0 needs none', async () => {
    const res = await rawHttp(port, `GET ${LIST} HTTP/1.1\r\nConnection: close\r\n\r\n`);
    expectRawError(res, 'INVALID_PARAMETER', false);
    expect(JSON.parse(res.body)).toMatchObject({ error_msg: 'The Host header is required' });
    const old = await rawHttp(port, `GET ${LIST} HTTP/1.0\r\n\r\n`);
    expect(old.status).toBe(200);
  });

  it('a broken chunked body: 400 with the request id of the request, connection closed', async () => {
    const res = await rawHttp(
      port,
      `POST ${LIST}/github/personal HTTP/1.1\r\nHost: x\r\nX-Request-Id: broken-chunks-1\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"nam\r\nZZ\r\n',
    );
    expectRawError(res, 'INVALID_PARAMETER', true);
    expect(res.headers['x-request-id']).toBe('broken-chunks-1');
  });

  it('a request that does not arrive within REQUEST_TIMEOUT_MS: 408 0408, connection closed', async () => {
    const started = Date.now();
    const res = await rawHttp(
      port,
      `POST ${LIST}/github/personal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        'Content-Length: 100\r\n\r\n{"name":',
      { waitMs: 12_000 },
    );
    expectRawError(res, 'REQUEST_TIMEOUT', true);
    // Bounded by REQUEST_TIMEOUT_MS (1 s, checked every second), not Node's default of 30 s: slack for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a body cut off by its client is logged at debug, not as an error', async () => {
    await rawHttp(
      port,
      `POST ${LIST}/github/personal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        'Content-Length: 100\r\n\r\n{"name":',
      { waitMs: 300, then: (_write, end) => setTimeout(end, 50) },
    );
    // The service keeps serving, and wrote no error line for any case of this file.
    expect((await t.request('GET', LIST)).status).toBe(200);
    expect(errorLines(t.logs)).toEqual([]);
  });
});
