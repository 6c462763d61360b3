import { BackgroundWork } from '../../src/common/lifecycle/background-work';
import type { Fault, FakeEndpoint } from '../fakes/types';
import { expectError } from '../support/errors';
import { eventually } from '../support/poll';
import { USER } from '../support/providers';
import { startStack, type Stack } from '../support/stack';
import { errorLines } from '../support/logs';

const PROJECT = '0123456789abcdef0123456789abcdef';
const BASE = `/v1/${PROJECT}/git/auths`;
const TIMEOUT_MS = 1_000;
/** A provider's failure is answered within its timeout, plus what the service itself needs. */
const ANSWER_BOUND_MS = TIMEOUT_MS + 1_000;

const FAULTS: [string, 'PROVIDER_UNAVAILABLE' | 'PROVIDER_TIMEOUT', Fault][] = [
  ['no answer within the timeout', 'PROVIDER_TIMEOUT', { delayMs: 3 * TIMEOUT_MS }],
  ['connection dropped', 'PROVIDER_UNAVAILABLE', { drop: true }],
  ['503', 'PROVIDER_UNAVAILABLE', { status: 503 }],
  [
    'a 200 that is not JSON',
    'PROVIDER_UNAVAILABLE',
    { status: 200, body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } },
  ],
  [
    'a 2 MiB answer',
    'PROVIDER_UNAVAILABLE',
    {
      status: 200,
      body: `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`,
      headers: { 'content-type': 'application/json' },
    },
  ],
];

interface Measured {
  operation: string;
  fault: string;
  status: number;
  code: string;
  ms: number;
}

/**
 * A provider that is slow, drops connections, fails, or answers garbage: every operation answers 502/504 with
 * an SVCSTG body within PROVIDER_TIMEOUT_MS (+1 s), nothing is half-written, and the authorization stays usable.
 * A refresh whose answer arrives after the timeout goes on and is stored (every rotating provider:
 * refresh-durability.e2e-spec.ts, and shutdown.rel-spec.ts at SIGTERM).
 */
describe('reliability: provider faults', () => {
  let stack: Stack;
  const results: Measured[] = [];
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack({ PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) });
  });

  afterAll(async () => {
    console.log(`provider faults:\n${results.map((r) => JSON.stringify(r)).join('\n')}`);
    await stack?.stop();
  });

  const names = async () =>
    (await stack.t.request<{ authorizations: { name: string; status: number }[] }>('GET', BASE))
      .body.authorizations;

  async function timed(
    operation: string,
    fault: string,
    endpoint: FakeEndpoint,
    f: Fault,
    send: () => Promise<{ status: number; body: unknown; headers: Headers; text: string }>,
  ) {
    stack.providers.fakes.gitlab.failNext(endpoint, f);
    const started = Date.now();
    const res = await send();
    const ms = Date.now() - started;
    results.push({
      operation,
      fault,
      status: res.status,
      code: (res.body as { error_code?: string })?.error_code ?? '',
      ms,
    });
    return { res, ms };
  }

  it.each(FAULTS)('personal token check, %s: %s, nothing stored', async (fault, key, f) => {
    const name = `pat-${++counter}`;
    const token = stack.providers.fakes.gitlab.issuePersonalToken(USER);
    const { res, ms } = await timed('personal', fault, 'user', f, () =>
      stack.t.request('POST', `${BASE}/gitlab/personal`, { body: { name, token } }),
    );
    expectError(res, key);
    expect(ms).toBeLessThanOrEqual(ANSWER_BOUND_MS);
    expect((await names()).map((a) => a.name)).not.toContain(name);
  });

  // Each byte comes well within undici's own per-wait timeouts: only the bound on the whole call stops it.
  it('personal token check, an answer trickling in past the timeout: PROVIDER_TIMEOUT, nothing stored', async () => {
    const name = `pat-${++counter}`;
    const token = stack.providers.fakes.gitlab.issuePersonalToken(USER);
    const { res, ms } = await timed(
      'personal',
      'trickling answer',
      'user',
      { trickleMs: TIMEOUT_MS / 5 },
      () => stack.t.request('POST', `${BASE}/gitlab/personal`, { body: { name, token } }),
    );
    expectError(res, 'PROVIDER_TIMEOUT');
    expect(ms).toBeLessThanOrEqual(ANSWER_BOUND_MS);
    expect((await names()).map((a) => a.name)).not.toContain(name);
  });

  it.each(FAULTS)(
    'OAuth code exchange, %s: %s, nothing stored, state spent',
    async (fault, key, f) => {
      const name = `oauth-${++counter}`;
      const redirect = await stack.t.request<{ url: string }>('GET', `${BASE}/gitlab/redirect`);
      const { code, state } = await stack.providers.fakes.gitlab.authorize(redirect.body.url, USER);
      const { res, ms } = await timed('oauth', fault, 'token', f, () =>
        stack.t.request('POST', `${BASE}/gitlab/oauth`, { body: { name, code, state } }),
      );
      expectError(res, key);
      expect(ms).toBeLessThanOrEqual(ANSWER_BOUND_MS);
      expect((await names()).map((a) => a.name)).not.toContain(name);
      expectError(
        await stack.t.request('POST', `${BASE}/gitlab/oauth`, { body: { name, code, state } }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
    },
  );

  it.each(FAULTS)(
    'refresh before a credential, %s: %s, the authorization stays normal and works next time, with one refresh in all',
    async (fault, key, f) => {
      const gitlab = stack.providers.fakes.gitlab;
      const name = `refresh-${++counter}`;
      gitlab.accessTokenTtlSeconds = 60;
      const redirect = await stack.t.request<{ url: string }>('GET', `${BASE}/gitlab/redirect`);
      const { code, state } = await gitlab.authorize(redirect.body.url, USER);
      expect(
        (await stack.t.request('POST', `${BASE}/gitlab/oauth`, { body: { name, code, state } }))
          .status,
      ).toBe(200);
      gitlab.accessTokenTtlSeconds = 7200;
      const refreshes = gitlab.refreshCount();
      const { res, ms } = await timed('refresh', fault, 'token', f, () =>
        stack.t.request('POST', `${BASE}/${name}/credential`),
      );
      expectError(res, key);
      expect(ms).toBeLessThanOrEqual(ANSWER_BOUND_MS);
      // A refresh the provider answers late goes on in the background and is stored.
      await eventually(() => stack.t.app.get(BackgroundWork).size === 0, 10_000);
      expect((await names()).find((a) => a.name === name)?.status).toBe(0);
      expect((await stack.t.request('POST', `${BASE}/${name}/credential`)).status).toBe(200);
      // The late answer was used; after any other fault the provider spent nothing and this call refreshed.
      expect(gitlab.refreshCount() - refreshes).toBe(1);
    },
  );

  it('upstream revocation failing on delete: 204 all the same, a warning, no error', async () => {
    const gitlab = stack.providers.fakes.gitlab;
    const name = `revoke-${++counter}`;
    const redirect = await stack.t.request<{ url: string }>('GET', `${BASE}/gitlab/redirect`);
    const { code, state } = await gitlab.authorize(redirect.body.url, USER);
    await stack.t.request('POST', `${BASE}/gitlab/oauth`, { body: { name, code, state } });
    gitlab.failNext('revoke', { drop: true });
    const started = Date.now();
    expect((await stack.t.request('DELETE', `${BASE}/${name}`)).status).toBe(204);
    results.push({
      operation: 'delete',
      fault: 'revocation dropped',
      status: 204,
      code: '',
      ms: Date.now() - started,
    });
    expect(errorLines(stack.t.logs)).toEqual([]);
  });
});
