import { BackgroundWork } from '../src/common/lifecycle/background-work';
import { expectError } from './support/errors';
import { eventually } from './support/poll';
import { factsOf, KINDS, USER } from './support/providers';
import { startStack, type Stack } from './support/stack';
import { expireStoredToken, storedTokens, storedTokensReplacing } from './support/stored-tokens';
import { startTestApp } from './support/test-app';

const PROJECT = '0123456789abcdef0123456789abcdef';
const BASE = `/v1/${PROJECT}/git/auths`;
/** Well above a loopback round trip on a busy machine: only the held answers below should outlast it. */
const PROVIDER_TIMEOUT_MS = 2_000;
/** The provider's answer to the refresh arrives this long after the request: after the caller's wait ended. */
const HELD_MS = PROVIDER_TIMEOUT_MS + 1_000;
/** Below CREDENTIAL_MIN_TTL_SECONDS (300): such a token is refreshed before it is handed out. */
const SHORT_TTL = 60;
/** Every provider whose refresh tokens die when used: a refresh answer that is not stored loses the grant. */
const ROTATING = KINDS.filter((kind) => factsOf(kind).rotatesRefreshTokens);

interface Credential {
  token: string;
  expires_at: number | null;
}

/**
 * Issue 9, item 1, in process: a provider holds its answer to a refresh past PROVIDER_TIMEOUT_MS. The caller
 * gets 504 as for any slow provider, but the refresh goes on; the rotated pair is stored and used, and the grant
 * stays intact. The built service at SIGTERM is tested in the reliability suite.
 */
describe('a refresh, once sent, is never lost', () => {
  let stack: Stack;
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack({
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      REFRESH_TIMEOUT_MS: '10000',
    });
  });

  afterAll(() => stack?.stop());

  const credential = (name: string) =>
    stack.t.request<Credential>('POST', `${BASE}/${name}/credential`);

  /** An OAuth authorization whose token expires soon, so that the next credential call refreshes it. */
  async function connectExpiring(kind: string): Promise<string> {
    const fake = stack.providers.fakes[kind];
    const name = `${kind}-held-${++counter}`;
    fake.useExpiringTokens(SHORT_TTL);
    try {
      const redirect = await stack.t.request<{ url: string }>('GET', `${BASE}/${kind}/redirect`);
      const { code, state } = await fake.authorize(redirect.body.url, USER);
      const res = await stack.t.request('POST', `${BASE}/${kind}/oauth`, {
        body: { name, code, state },
      });
      expect(res.status).toBe(200);
    } finally {
      fake.useUsualTokens();
    }
    return name;
  }

  it('covers the providers that rotate refresh tokens, taken from the fakes', () => {
    expect(ROTATING).toEqual(expect.arrayContaining(['gitlab', 'bitbucket', 'gitea']));
  });

  it.each(ROTATING)(
    '%s: 504 after PROVIDER_TIMEOUT_MS, then the rotated pair is stored and used without a second refresh; the grant stays intact',
    async (kind) => {
      const fake = stack.providers.fakes[kind];
      const name = await connectExpiring(kind);
      const before = await storedTokens(stack.db.url, PROJECT, name);
      const refreshes = fake.refreshCount();

      fake.failNext('token', { delayMs: HELD_MS });
      const started = Date.now();
      const abandoned = await credential(name);
      const waitedMs = Date.now() - started;
      expectError(
        abandoned,
        'PROVIDER_TIMEOUT',
        new RegExp(`did not answer within ${PROVIDER_TIMEOUT_MS} ms`),
      );
      expect(waitedMs).toBeGreaterThanOrEqual(PROVIDER_TIMEOUT_MS);

      // The answer arrives after the caller left, and is stored.
      const after = await storedTokensReplacing(stack.db.url, PROJECT, name, before.accessToken);
      expect(after.status).toBe(0);
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(fake.refreshCount() - refreshes).toBe(1);

      const next = await credential(name);
      expect(next.status).toBe(200);
      expect(next.body.token).toBe(after.accessToken);
      expect(next.body.expires_at).toBeGreaterThan(Date.now() + 300_000);
      expect(fake.refreshCount() - refreshes).toBe(1);

      // The stored refresh token is the provider's live one: the next refresh works with it.
      await expireStoredToken(stack.db.url, PROJECT, name);
      expect((await credential(name)).status).toBe(200);
      expect(fake.refreshCount() - refreshes).toBe(2);
    },
  );

  it('another replica asking meanwhile waits on the row lock and gets the stored token: one refresh in all', async () => {
    const kind = ROTATING[0];
    const fake = stack.providers.fakes[kind];
    const name = await connectExpiring(kind);
    const refreshes = fake.refreshCount();
    const replica = await startTestApp({
      DATABASE_URL: stack.db.url,
      AUTH_MODE: 'none',
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      ...stack.providers.env,
    });
    try {
      fake.failNext('token', { delayMs: HELD_MS });
      const tokenCalls = fake.calls('token').length;
      const first = credential(name);
      // The fake records the refresh when it arrives, that is once the first app holds the row lock.
      await eventually(() => fake.calls('token').length > tokenCalls);
      // Its row-lock wait (PROVIDER_TIMEOUT_MS + 2 s here) outlasts the held answer.
      const second = await replica.request<Credential>('POST', `${BASE}/${name}/credential`);
      expectError(await first, 'PROVIDER_TIMEOUT');
      expect(second.status).toBe(200);
      expect(second.body.token).toBe((await storedTokens(stack.db.url, PROJECT, name)).accessToken);
      expect(fake.refreshCount() - refreshes).toBe(1);
    } finally {
      await replica.close();
    }
  });

  it('closing the application waits for a refresh whose caller already got 504, and the database closes after it is stored', async () => {
    const kind = ROTATING[0];
    const fake = stack.providers.fakes[kind];
    const name = await connectExpiring(kind);
    const before = await storedTokens(stack.db.url, PROJECT, name);
    const app = await startTestApp({
      DATABASE_URL: stack.db.url,
      AUTH_MODE: 'none',
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      ...stack.providers.env,
    });
    let closed = false;
    try {
      fake.failNext('token', { delayMs: HELD_MS + 500 });
      expectError(await app.request('POST', `${BASE}/${name}/credential`), 'PROVIDER_TIMEOUT');
      // No request is in flight any more: only the refresh, as background work.
      expect(app.app.get(BackgroundWork).size).toBeGreaterThan(0);
      await app.close();
      closed = true;
    } finally {
      if (!closed) await app.close();
    }
    const after = await storedTokens(stack.db.url, PROJECT, name);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect((await credential(name)).body.token).toBe(after.accessToken);
  });
});
