import { createHash } from 'node:crypto';
import { PrismaService } from '../src/database/prisma.service';
import { OAuthStateJanitor } from '../src/git-auth/oauth-state-janitor';
import { PROVIDERS } from '../src/git-auth/providers/registered-providers';
import { expectError } from './support/errors';
import { eventually } from './support/poll';
import { ENV_PREFIX, KINDS, USER, appOf, type FakeProviders } from './support/providers';
import { startStack, type Stack } from './support/stack';
import type { TestApp } from './support/test-app';
import { AUTHORIZATION_VI_KEYS } from './support/wire';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
const TIMEOUT_MS = 1500;

/** Provider-independent checks (the state, concurrency, outages) run once, against this provider. */
const ANY = 'gitlab';

interface AuthorizationBody {
  authorization: Record<string, unknown>;
}

describe('OAuth flow (operations b and c) against fake providers', () => {
  let stack: Stack;
  let providers: FakeProviders;
  let t: TestApp;
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack({ PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) });
    ({ providers, t } = stack);
  });

  afterAll(() => stack?.stop());

  const uniqueName = (kind: string) => `${kind}-auth-${++counter}`;

  async function redirectUrl(kind: string, project = PROJECT, tag?: string): Promise<URL> {
    const query = tag === undefined ? '' : `?tag=${tag}`;
    const res = await t.request<{ url: string }>(
      'GET',
      `/v1/${project}/git/auths/${kind}/redirect${query}`,
    );
    expect(res.status).toBe(200);
    return new URL(res.body.url);
  }

  /** The browser part: the user approves at the fake, which redirects back with code and state. */
  async function approve(
    kind: string,
    project = PROJECT,
    tag?: string,
  ): Promise<{ code: string; state: string }> {
    const url = await redirectUrl(kind, project, tag);
    const { code, state } = await providers.fakes[kind].authorize(url.href, USER);
    return { code, state };
  }

  const postOAuth = (kind: string, body: object, project = PROJECT, tag?: string) =>
    t.request<AuthorizationBody>(
      'POST',
      `/v1/${project}/git/auths/${kind}/oauth${tag ? `?tag=${tag}` : ''}`,
      { body },
    );

  async function storedCount(): Promise<number> {
    return t.app.get(PrismaService).authorization.count();
  }

  describe.each(KINDS)('%s', (kind) => {
    const fake = () => providers.fakes[kind];
    const provider = PROVIDERS.find((p) => p.repoType === kind)!;

    it('answers the authorize URL with client_id, redirect_uri, scope, a fresh state and PKCE where the provider checks it', async () => {
      const url = await redirectUrl(kind);
      const app = appOf(kind);
      expect(url.origin).toBe(new URL(fake().webUrl).origin);
      expect(url.searchParams.get('client_id')).toBe(app.clientId);
      expect(url.searchParams.get('redirect_uri')).toBe(app.redirectUri);
      const state = url.searchParams.get('state') ?? '';
      expect(state).toMatch(/^[A-Za-z0-9_-]{43,}$/); // ≥ 256 bits, base64url
      expect(url.searchParams.get('scope') ?? '').toBe(provider.scopes.join(' '));
      if (fake().facts.pkce) {
        expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      } else {
        expect(url.searchParams.has('code_challenge')).toBe(false);
      }
      // Stored only as its hash.
      const rows = await t.app.get(PrismaService).oAuthState.findMany();
      const hash = createHash('sha256').update(state).digest();
      expect(rows.some((r) => Buffer.from(r.stateHash).equals(hash))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(state);
      expect((await redirectUrl(kind)).searchParams.get('state')).not.toBe(state);
      // The provider itself accepts it (its authorize page validates like the real one).
      await fake().authorize(url.href, USER);
    });

    it('completes the flow: exactly the AuthorizationVI fields, tokens sealed, listed with its tag', async () => {
      const name = uniqueName(kind);
      const before = Date.now();
      const { code, state } = await approve(kind);
      const res = await postOAuth(kind, { name, code, state });

      expect(res.status).toBe(200);
      const a = res.body.authorization;
      expect(Object.keys(res.body)).toEqual(['authorization']);
      expect(Object.keys(a).sort()).toEqual(AUTHORIZATION_VI_KEYS);
      expect(a).toMatchObject({
        name,
        repo_type: kind,
        repo_host: fake().webUrl,
        repo_user: USER,
        token_type: 'oauth',
        status: 0,
      });
      expect(a.repo_home).toBe(providers.users[kind].homeUrl);
      expect(a.avartar).toBe(providers.users[kind].avatarUrl);
      expect(a.create_time).toBeGreaterThanOrEqual(before - 1000);
      expect(Number.isInteger(a.create_time) && Number.isInteger(a.update_time)).toBe(true);

      if (fake().facts.pkce) {
        const authorize = fake().calls('authorize').at(-1);
        const token = fake().calls('token').at(-1);
        expect(authorize?.query.code_challenge).toBeTruthy();
        const sent = { ...token?.query, ...Object.fromEntries(new URLSearchParams(token?.body)) };
        expect(sent.code_verifier).toBeTruthy();
      }

      const row = await t.app
        .get(PrismaService)
        .authorization.findFirstOrThrow({ where: { name } });
      expect(row.keyId).toBe('test-1');
      const issued = fake().issuedSecrets();
      expect(issued.filter((secret) => JSON.stringify(row).includes(secret))).toEqual([]);
      const list = await t.request<{ authorizations: Record<string, unknown>[] }>(
        'GET',
        `/v1/${PROJECT}/git/auths`,
      );
      expect(list.body.authorizations.find((x) => x.name === name)).toMatchObject({
        tag: '',
        token_type: 'oauth',
      });
    });

    it('answers a code the provider rejects with 0402 and stores nothing', async () => {
      const { state } = await approve(kind);
      const before = await storedCount();
      const res = await postOAuth(kind, { name: uniqueName(kind), code: 'not-a-real-code', state });
      expectError(res, 'OAUTH_CODE_OR_STATE_INVALID', /rejected the authorization code/);
      expect(await storedCount()).toBe(before);
    });

    it('answers a refusal of our client (a secret the provider no longer knows) with 502, never as a bad code', async () => {
      const { code, state } = await approve(kind);
      const before = await storedCount();
      fake().registerApp({ ...appOf(kind), clientSecret: 'rotated-at-the-provider' });
      try {
        expectError(
          await postOAuth(kind, { name: uniqueName(kind), code, state }),
          'PROVIDER_UNAVAILABLE',
          /check the OAuth application settings/,
        );
      } finally {
        fake().registerApp(appOf(kind));
      }
      expect(await storedCount()).toBe(before);
    });

    it('gives the new token back where the provider can revoke it, when the flow fails after the code exchange', async () => {
      const { code, state } = await approve(kind);
      const before = await storedCount();
      const revokes = fake().calls('revoke').length;
      fake().failNext('user', { status: 500 });
      expectError(
        await postOAuth(kind, { name: uniqueName(kind), code, state }),
        'PROVIDER_UNAVAILABLE',
      );
      expect(await storedCount()).toBe(before);
      if (fake().facts.revocation === 'none') return;
      await eventually(() => fake().calls('revoke').length > revokes);
      // This token only: the account may hold others of ours.
      if (fake().facts.revocation === 'grant')
        expect(fake().calls('revoke').at(-1)?.path).toMatch(/\/token$/);
    });
  });

  describe('the state, concurrency and outages (any provider)', () => {
    const fake = () => providers.fakes[ANY];

    it('refuses a replayed state with 0402', async () => {
      const { code, state } = await approve(ANY);
      expect((await postOAuth(ANY, { name: uniqueName(ANY), code, state })).status).toBe(200);
      expectError(
        await postOAuth(ANY, { name: uniqueName(ANY), code, state }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
    });

    it('refuses a forged state with 0402 and stores nothing', async () => {
      const { code } = await approve(ANY);
      const before = await storedCount();
      expectError(
        await postOAuth(ANY, { name: uniqueName(ANY), code, state: 'forged-state-0123456789' }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
      expect(await storedCount()).toBe(before);
    });

    it("refuses another project's state with 0402 and leaves it usable by its owner", async () => {
      const { code, state } = await approve(ANY, PROJECT);
      expectError(
        await postOAuth(ANY, { name: uniqueName(ANY), code, state }, OTHER_PROJECT),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
      expect((await postOAuth(ANY, { name: uniqueName(ANY), code, state }, PROJECT)).status).toBe(
        200,
      );
    });

    it("refuses another repo type's state with 0402", async () => {
      const other = KINDS.find((k) => k !== ANY)!;
      const { code, state } = await approve(other);
      expectError(
        await postOAuth(ANY, { name: uniqueName(ANY), code, state }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
    });

    it('answers a name already used in the project with 0403, leaving the code unspent and the state usable', async () => {
      const name = uniqueName(ANY);
      const first = await approve(ANY);
      expect((await postOAuth(ANY, { name, ...first })).status).toBe(200);
      const second = await approve(ANY);
      const tokenCalls = fake().calls('token').length;
      expectError(await postOAuth(ANY, { name, ...second }), 'ALREADY_EXISTS');
      expect(fake().calls('token')).toHaveLength(tokenCalls);
      expect((await postOAuth(ANY, { name: uniqueName(ANY), ...second })).status).toBe(200);
    });

    it('answers a provider 5xx with 502 and a timeout with 504, storing nothing', async () => {
      const before = await storedCount();
      const first = await approve(ANY);
      fake().failNext('token', { status: 503 });
      expectError(
        await postOAuth(ANY, { name: uniqueName(ANY), ...first }),
        'PROVIDER_UNAVAILABLE',
      );
      const second = await approve(ANY);
      fake().failNext('token', { delayMs: TIMEOUT_MS + 1000 });
      expectError(await postOAuth(ANY, { name: uniqueName(ANY), ...second }), 'PROVIDER_TIMEOUT');
      expect(await storedCount()).toBe(before);
    });

    it('lets exactly one of 20 concurrent posts of one state win', async () => {
      const { code, state } = await approve(ANY);
      const tokenCallsBefore = fake().calls('token').length;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postOAuth(ANY, { name: `${uniqueName(ANY)}-c${i}`, code, state }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200))
        expectError(r, 'OAUTH_CODE_OR_STATE_INVALID');
      expect(fake().calls('token').length - tokenCallsBefore).toBe(1);
    });
  });

  describe('state lifetime', () => {
    it('refuses an expired state with 0402, and the janitor removes expired states', async () => {
      const { code, state } = await approve('gitlab');
      const prisma = t.app.get(PrismaService);
      const stateHash = createHash('sha256').update(state).digest();
      await prisma.oAuthState.update({
        where: { stateHash },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expectError(
        await postOAuth('gitlab', { name: uniqueName('exp'), code, state }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );

      await redirectUrl('github'); // a live one stays
      const live = await prisma.oAuthState.count({ where: { expiresAt: { gt: new Date() } } });
      expect(await t.app.get(OAuthStateJanitor).sweep()).toBeGreaterThanOrEqual(1);
      expect(await prisma.oAuthState.count({ where: { stateHash } })).toBe(0);
      expect(await prisma.oAuthState.count()).toBe(live);
    });

    it('expires states after OAUTH_STATE_TTL_SECONDS (600 by default)', async () => {
      const url = await redirectUrl('gitee');
      const stateHash = createHash('sha256')
        .update(url.searchParams.get('state') ?? '')
        .digest();
      const row = await t.app
        .get(PrismaService)
        .oAuthState.findUniqueOrThrow({ where: { stateHash } });
      const ttl = (row.expiresAt.getTime() - row.createdAt.getTime()) / 1000;
      expect(ttl).toBeGreaterThan(595);
      expect(ttl).toBeLessThan(605);
    });
  });

  describe('site tags and configuration', () => {
    it('uses the tagged application for ?tag=intl and remembers the tag', async () => {
      const url = await redirectUrl('github', PROJECT, 'intl');
      expect(url.searchParams.get('client_id')).toBe(appOf('github', 'intl').clientId);
      const { code, state } = await providers.fakes.github.authorize(url.href, USER);
      const name = uniqueName('intl');
      expect((await postOAuth('github', { name, code, state }, PROJECT, 'intl')).status).toBe(200);
      const list = await t.request<{ authorizations: Record<string, unknown>[] }>(
        'GET',
        `/v1/${PROJECT}/git/auths`,
      );
      expect(list.body.authorizations.find((x) => x.name === name)?.tag).toBe('intl');
    });

    it('refuses a state issued for another tag with 0402', async () => {
      const { code, state } = await approve('github', PROJECT, 'intl');
      expectError(
        await postOAuth('github', { name: uniqueName('tag'), code, state }),
        'OAUTH_CODE_OR_STATE_INVALID',
      );
    });

    it('answers an unconfigured tag with 0453', async () => {
      expectError(
        await t.request('GET', `/v1/${PROJECT}/git/auths/gitlab/redirect?tag=cn`),
        'PROVIDER_NOT_CONFIGURED',
        /tag "cn"/,
      );
    });

    it.each(['devcloud', 'svn', 'GitHub'])('answers repo_type %s with 0401', async (repoType) => {
      expectError(
        await t.request('GET', `/v1/${PROJECT}/git/auths/${repoType}/redirect`),
        'REPO_TYPE_NOT_SUPPORTED',
      );
      expectError(
        await postOAuth(repoType, { name: 'valid-name', code: 'c', state: 's' }),
        'REPO_TYPE_NOT_SUPPORTED',
      );
    });

    it.each([
      ['a missing name', { code: 'c', state: 's' }, /name is required/],
      ['a short name', { name: 'abc', code: 'c', state: 's' }, /name must be 4-63/],
      ['a name with a slash', { name: 'abc/def', code: 'c', state: 's' }, /name must be 4-63/],
      ['a 64-character name', { name: 'a'.repeat(64), code: 'c', state: 's' }, /name must be 4-63/],
      ['a numeric code', { name: 'valid-name', code: 42, state: 's' }, /code must be a string/],
      ['an empty state', { name: 'valid-name', code: 'c', state: '' }, /state must not be empty/],
    ])('answers %s with 0400', async (_case, body, message) => {
      expectError(await postOAuth('github', body), 'INVALID_PARAMETER', message);
    });

    it('answers malformed JSON with 0400, an empty body with 0400 and a bad tag with 0400', async () => {
      expectError(
        await t.request('POST', `/v1/${PROJECT}/git/auths/github/oauth`, {
          rawBody: '{"name": "x",',
          headers: { 'content-type': 'application/json' },
        }),
        'INVALID_PARAMETER',
        /not valid JSON/,
      );
      expectError(
        await t.request('POST', `/v1/${PROJECT}/git/auths/github/oauth`),
        'INVALID_PARAMETER',
        /required/,
      );
      expectError(
        await t.request('GET', `/v1/${PROJECT}/git/auths/github/redirect?tag=in-tl`),
        'INVALID_PARAMETER',
        /tag/,
      );
    });

    it('accepts the content type the Huawei Cloud SDKs send', async () => {
      const { code, state } = await approve('gitee');
      const res = await t.request('POST', `/v1/${PROJECT}/git/auths/gitee/oauth`, {
        rawBody: JSON.stringify({ name: uniqueName('sdk'), code, state }),
        headers: { 'content-type': 'application/json;charset=utf8' },
      });
      expect(res.status).toBe(200);
    });

    it('configures every registered provider under its own prefix', () => {
      for (const kind of KINDS)
        expect(providers.env[`${ENV_PREFIX[kind]}_CLIENT_ID`]).toBe(appOf(kind).clientId);
    });
  });
});
