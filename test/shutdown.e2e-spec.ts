import { Lifecycle } from '../src/common/lifecycle/lifecycle';
import { expectError } from './support/errors';
import { eventually, eventuallyAsync } from './support/poll';
import { rawHttp } from './support/raw-http';
import { USER } from './support/providers';
import { startStack, type Stack } from './support/stack';

const PROJECT = '0123456789abcdef0123456789abcdef';
// Generous: the draining window must outlast two requests, and the held provider calls the whole shutdown's
// start, on a machine that may be very busy.
const DELAY_MS = 2_000;
const PROVIDER_DELAY_MS = DELAY_MS + 2_500;

/**
 * The shutdown order inside one process (the signal and exit status are tested with a real process in the
 * reliability suite): readiness 503 first, then the listener closes, requests on open connections are refused
 * with an SVCSTG 503, in-flight requests and background revocations finish, and only then the database closes.
 */
describe('graceful shutdown', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      SHUTDOWN_DELAY_MS: String(DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '20000',
      PROVIDER_TIMEOUT_MS: '15000',
    });
  });

  // The test closes the application itself; only the fakes and the database are left.
  afterAll(async () => {
    await stack?.providers.stop();
    await stack?.db.drop();
  });

  async function connectGitLab(name: string): Promise<void> {
    const { t, providers } = stack;
    const redirect = await t.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/gitlab/redirect`,
    );
    const { code, state } = await providers.fakes.gitlab.authorize(redirect.body.url, USER);
    const res = await t.request('POST', `/v1/${PROJECT}/git/auths/gitlab/oauth`, {
      body: { name, code, state },
    });
    expect(res.status).toBe(200);
  }

  it('drains requests and background work before the database closes', async () => {
    const { t, providers } = stack;
    const gitlab = providers.fakes.gitlab;
    gitlab.accessTokenTtlSeconds = 60; // refreshed by the next credential call
    await connectGitLab('refresh-me');
    gitlab.accessTokenTtlSeconds = 7200;
    await connectGitLab('delete-me');

    // A delete whose upstream revocation (background work) and a refresh (in flight) are held by the provider.
    gitlab.failNext('revoke', { delayMs: PROVIDER_DELAY_MS });
    expect((await t.request('DELETE', `/v1/${PROJECT}/git/auths/delete-me`)).status).toBe(204);
    gitlab.failNext('token', { delayMs: PROVIDER_DELAY_MS });
    const tokenCalls = gitlab.calls('token').length;
    const credential = t.request<{ token: string }>(
      'POST',
      `/v1/${PROJECT}/git/auths/refresh-me/credential`,
    );
    await eventually(() => gitlab.calls('token').length > tokenCalls);

    // A connection opened before the shutdown whose request head is still arriving (so not idle); the rest of
    // its head is sent once the listener is closed.
    let finishHead: (() => void) | undefined;
    const late = rawHttp(Number(new URL(t.baseUrl).port), 'GET /health HTTP/1.1\r\n', {
      waitMs: 10_000,
      then: (write) => (finishHead = () => write('Host: x\r\n\r\n')),
    });
    await eventually(() => finishHead);
    const lifecycle = t.app.get(Lifecycle);
    const closing = t.app.close();
    // Draining: not ready any more, but still serving (the phases follow each other, not a clock).
    await eventually(() => lifecycle.phase === 'draining');
    expectError(await t.request('GET', '/health/ready'), 'UNAVAILABLE', /shutting down/);
    expect((await t.request('GET', '/health')).status).toBe(200);

    // Closing: no new connections; a request on an open one is refused and its connection closed.
    await eventuallyAsync(() =>
      fetch(`${t.baseUrl}/health`).then(
        () => false,
        () => true,
      ),
    );
    expect(lifecycle.phase).toBe('closing');
    finishHead?.();
    const refused = await late;
    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.closed).toBe(true);
    expect(refused.headers['x-request-id']).toBeTruthy();
    expect(JSON.parse(refused.body)).toEqual({
      error_code: 'SVCSTG.REPO.0503',
      error_msg: 'This instance is shutting down; retry',
    });

    await closing;
    // The refresh finished and was stored before the database closed; the revocation reached GitLab.
    const res = await credential;
    expect(res.status).toBe(200);
    expect(gitlab.refreshCount()).toBe(1);
    expect(gitlab.calls('revoke')).toHaveLength(1);
    expect(gitlab.revokedGrants()).toHaveLength(1);
    const messages = t.logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages.indexOf('shutdown started')).toBeLessThan(messages.indexOf('revoked upstream'));
  });
});
