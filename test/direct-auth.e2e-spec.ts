import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaService } from '../src/database/prisma.service';
import { createFake, type FakeProvider } from './fakes/fake-provider';
import { expectError } from './support/errors';
import { eventually } from './support/poll';
import {
  factsOf,
  KINDS,
  kindsAccepting,
  startFakeProviders,
  USER,
  type FakeProviders,
} from './support/providers';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { selfSignedCertificate } from './support/tls';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
const TIMEOUT_MS = 1500;
const PERSONAL = kindsAccepting('personal');
const PASSWORD = kindsAccepting('password');

interface AuthorizationBody {
  authorization: Record<string, unknown>;
}

describe('personal and password authorizations, delete with upstream revocation (operations d, e, f)', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  /** A self-managed GitLab over https with its own CA, at https://localhost:<port>. */
  let selfManaged: FakeProvider;
  let selfManagedUrl: string;
  let caDir: string;
  /** Private addresses allowed for the self-managed server (explicitly). */
  let t: TestApp;
  /** The same allow-list, private addresses refused (the default). */
  let strict: TestApp;
  /** The same database after an operator removed the self-managed server from the allow-list. */
  let narrowed: TestApp;
  let counter = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    providers = await startFakeProviders();
    const tls = await selfSignedCertificate();
    selfManaged = createFake('gitlab');
    await selfManaged.start({ tls });
    selfManaged.addUser(USER);
    selfManagedUrl = `https://localhost:${new URL(selfManaged.baseUrl).port}`;
    caDir = mkdtempSync(join(tmpdir(), 'git-auth-ca-'));
    writeFileSync(join(caDir, 'ca.pem'), tls.cert);
    const env = {
      DATABASE_URL: db.url,
      AUTH_MODE: 'none',
      PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      GIT_ALLOWED_HOSTS: `gitlab.example.com, localhost:${new URL(selfManaged.baseUrl).port}, 127.0.0.1`,
      GIT_CA_FILE: join(caDir, 'ca.pem'),
      ...providers.env,
    };
    // Nest's Logger is process-wide: the app created last (strict) writes every app's lines.
    narrowed = await startTestApp({
      ...env,
      GIT_ALLOWED_HOSTS: 'gitlab.example.com',
      GIT_ALLOW_PRIVATE_ADDRESSES: 'true',
    });
    t = await startTestApp({ ...env, GIT_ALLOW_PRIVATE_ADDRESSES: 'true' });
    strict = await startTestApp(env);
  });

  afterAll(async () => {
    await t?.close();
    await strict?.close();
    await narrowed?.close();
    await selfManaged?.stop();
    await providers?.stop();
    await db?.drop();
    rmSync(caDir, { recursive: true, force: true });
  });

  const uniqueName = (prefix: string) => `${prefix}-${++counter}`;
  const postPersonal = (kind: string, body: object, app = t, project = PROJECT) =>
    app.request<AuthorizationBody>('POST', `/v1/${project}/git/auths/${kind}/personal`, { body });
  const postPassword = (kind: string, body: object, project = PROJECT) =>
    t.request<AuthorizationBody>('POST', `/v1/${project}/git/auths/${kind}/password`, { body });
  const names = async (project = PROJECT) =>
    (
      await t.request<{ authorizations: { name: string }[] }>('GET', `/v1/${project}/git/auths`)
    ).body.authorizations.map((a) => a.name);
  const storedCount = () => t.app.get(PrismaService).authorization.count();

  describe('POST /{repo_type}/personal', () => {
    it.each(PERSONAL)('stores a %s token the provider accepts, with its profile', async (kind) => {
      const fake = providers.fakes[kind];
      const token = fake.issuePersonalToken(USER);
      const name = uniqueName(kind);
      const res = await postPersonal(kind, { name, token });
      expect(res.status).toBe(200);
      expect(res.body.authorization).toEqual({
        name,
        repo_type: kind,
        repo_host: fake.webUrl,
        repo_home: providers.users[kind].homeUrl,
        repo_user: USER,
        avartar: providers.users[kind].avatarUrl,
        token_type: 'personal',
        create_time: expect.any(Number) as number,
        update_time: expect.any(Number) as number,
        status: 0,
      });
      expect(fake.calls('user').at(-1)?.path).toBe(`${new URL(fake.apiUrl).pathname}/user`);
      const row = await t.app
        .get(PrismaService)
        .authorization.findFirstOrThrow({ where: { name } });
      expect(Buffer.from(row.secretSealed).includes(Buffer.from(token))).toBe(false);
    });

    it('uses the configured server when host is its web URL', async () => {
      const fake = providers.fakes.gitlab;
      const res = await postPersonal('gitlab', {
        name: uniqueName('gl'),
        token: fake.issuePersonalToken(USER),
        host: `${fake.webUrl}/`,
      });
      expect(res.status).toBe(200);
      expect(res.body.authorization.repo_host).toBe(fake.webUrl);
    });

    it('reaches a self-managed GitLab on the allow-list over https, trusting GIT_CA_FILE', async () => {
      const before = selfManaged.calls('user').length;
      const res = await postPersonal('gitlab', {
        name: uniqueName('self'),
        token: selfManaged.issuePersonalToken(USER),
        host: selfManagedUrl,
      });
      expect(res.status).toBe(200);
      expect(res.body.authorization).toMatchObject({ repo_host: selfManagedUrl, repo_user: USER });
      expect(selfManaged.calls('user').length).toBe(before + 1);
      expect(selfManaged.calls('user').at(-1)?.path).toBe('/api/v4/user');
    });

    it('a stored self-hosted host removed from GIT_ALLOWED_HOSTS gets no token: credential and verify 0454', async () => {
      const name = uniqueName('self-removed');
      const token = selfManaged.issuePersonalToken(USER);
      expect((await postPersonal('gitlab', { name, token, host: selfManagedUrl })).status).toBe(
        200,
      );
      const credential = `/v1/${PROJECT}/git/auths/${name}/credential`;
      expect((await t.request<{ token: string }>('POST', credential)).body.token).toBe(token);

      // The same database, an operator narrowed the allow-list (a replica with the new configuration).
      const before = selfManaged.calls().length;
      const refused = await narrowed.request('POST', credential);
      expectError(refused, 'HOST_NOT_ALLOWED', /GIT_ALLOWED_HOSTS/);
      expect(refused.text).not.toContain(token);
      expectError(
        await narrowed.request('POST', `/v1/${PROJECT}/git/auths/${name}/verify`),
        'HOST_NOT_ALLOWED',
      );
      expect(selfManaged.calls().length).toBe(before);
    });

    describe('refuses hosts that could reach what they should not, without contacting them', () => {
      const refused = async (host: string, app: () => TestApp, message: RegExp) => {
        const before = selfManaged.calls().length;
        const res = await postPersonal(
          'gitlab',
          { name: uniqueName('ssrf'), token: 'glpat-anything', host },
          app(),
        );
        expectError(res, 'HOST_NOT_ALLOWED', message);
        expect(selfManaged.calls().length).toBe(before);
      };

      it('a host not on GIT_ALLOWED_HOSTS', () =>
        refused('https://evil.example.net', () => t, /not an allowed git host/));
      it('an allowed host with another port', () =>
        refused(
          `https://localhost:${Number(new URL(selfManaged.baseUrl).port) + 1}`,
          () => t,
          /not an allowed git host/,
        ));
      it('plain http', () =>
        refused(`http://localhost:${new URL(selfManaged.baseUrl).port}`, () => t, /https/));
      it('an allowed name resolving to loopback when private addresses are not allowed', () =>
        refused(selfManagedUrl, () => strict, /non-public address/));
      it('an allowed loopback IP literal when private addresses are not allowed', () =>
        refused(
          `https://127.0.0.1:${new URL(selfManaged.baseUrl).port}`,
          () => strict,
          /not a public address/,
        ));
    });

    it.each([
      ['not a URL', 'gitlab.example.com'],
      ['credentials in the URL', 'https://user:pw@gitlab.example.com'],
      ['a query', 'https://gitlab.example.com/?x=1'],
      ['another scheme', 'ftp://gitlab.example.com'],
    ])('answers a host with %s with 0400', async (_case, host) => {
      expectError(
        await postPersonal('gitlab', { name: uniqueName('bad'), token: 'x', host }),
        'INVALID_PARAMETER',
        /host/,
      );
    });

    it('does not follow a redirect from the provider to another host', async () => {
      const gitlab = providers.fakes.gitlab;
      const elsewhere = providers.fakes.github;
      const before = elsewhere.calls().length;
      gitlab.failNext('user', { status: 302, headers: { location: `${elsewhere.apiUrl}/user` } });
      const res = await postPersonal('gitlab', {
        name: uniqueName('redir'),
        token: gitlab.issuePersonalToken(USER),
      });
      expectError(res, 'PROVIDER_UNAVAILABLE');
      expect(elsewhere.calls().length).toBe(before);
    });

    describe.each(PERSONAL)('%s refuses', (kind) => {
      it.each([
        ['a token it does not know', () => 'unknown-token-0123456789abcdef'],
        ['a revoked token', () => revoked(providers.fakes[kind])],
        [
          'an expired token',
          () => providers.fakes[kind].issuePersonalToken(USER, { expired: true }),
        ],
      ])('%s: 0451, nothing stored', async (_case, token) => {
        const before = await storedCount();
        expectError(
          await postPersonal(kind, { name: uniqueName('rej'), token: token() }),
          'AUTHORIZATION_INVALID',
          /rejected the token/,
        );
        expect(await storedCount()).toBe(before);
      });
    });

    it('answers a provider 5xx with 502 and a timeout with 504, storing nothing', async () => {
      const fake = providers.fakes.github;
      const before = await storedCount();
      fake.failNext('user', { status: 500 });
      expectError(
        await postPersonal('github', {
          name: uniqueName('down'),
          token: fake.issuePersonalToken(USER),
        }),
        'PROVIDER_UNAVAILABLE',
      );
      fake.failNext('user', { delayMs: TIMEOUT_MS + 1000 });
      expectError(
        await postPersonal('github', {
          name: uniqueName('slow'),
          token: fake.issuePersonalToken(USER),
        }),
        'PROVIDER_TIMEOUT',
      );
      fake.failNext('user', { drop: true });
      expectError(
        await postPersonal('github', {
          name: uniqueName('drop'),
          token: fake.issuePersonalToken(USER),
        }),
        'PROVIDER_UNAVAILABLE',
      );
      expect(await storedCount()).toBe(before);
    });

    it('lets the unique index decide between concurrent creations of one name: one 200, the rest 0403', async () => {
      const name = uniqueName('race');
      const fake = providers.fakes.gitlab;
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          postPersonal('gitlab', { name, token: fake.issuePersonalToken(USER) }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expectError(r, 'ALREADY_EXISTS');
      expect((await names()).filter((n) => n === name)).toHaveLength(1);
    });

    it('answers a duplicate name with 0403, providers without personal tokens with 0401 and a missing token with 0400', async () => {
      const name = uniqueName('dup');
      const fake = providers.fakes.gitee;
      expect(
        (await postPersonal('gitee', { name, token: fake.issuePersonalToken(USER) })).status,
      ).toBe(200);
      expectError(
        await postPersonal('gitee', { name, token: fake.issuePersonalToken(USER) }),
        'ALREADY_EXISTS',
      );
      for (const kind of KINDS.filter((k) => !PERSONAL.includes(k)))
        expectError(
          await postPersonal(kind, { name: uniqueName('np'), token: 'x' }),
          'REPO_TYPE_NOT_SUPPORTED',
        );
      expectError(
        await postPersonal('gitlab', { name: uniqueName('nt') }),
        'INVALID_PARAMETER',
        /token is required/,
      );
    });
  });

  describe('POST /{repo_type}/password', () => {
    it.each(PASSWORD)(
      '%s: stores a user and app password checked with HTTP Basic',
      async (kind) => {
        const fake = providers.fakes[kind];
        fake.addAppPassword(USER, 'app-password-123');
        const name = uniqueName(kind);
        const res = await postPassword(kind, {
          name,
          user: USER,
          password: 'app-password-123',
        });
        expect(res.status).toBe(200);
        expect(res.body.authorization).toMatchObject({
          name,
          repo_type: kind,
          repo_user: USER,
          repo_home: providers.users[kind].homeUrl,
          avartar: providers.users[kind].avatarUrl,
          token_type: 'password',
        });
        const auth = fake.calls('user').at(-1)?.headers.authorization;
        expect(auth).toBe(`Basic ${Buffer.from(`${USER}:app-password-123`).toString('base64')}`);
        expectError(
          await postPassword(kind, { name: uniqueName(kind), user: USER, password: 'wrong' }),
          'AUTHORIZATION_INVALID',
        );
      },
    );

    it('answers providers without passwords with 0401 and a missing password with 0400', async () => {
      for (const kind of KINDS.filter((k) => !PASSWORD.includes(k)))
        expectError(
          await postPassword(kind, { name: uniqueName('np'), user: USER, password: 'x' }),
          'REPO_TYPE_NOT_SUPPORTED',
        );
      expectError(
        await postPassword(PASSWORD[0], { name: uniqueName('np'), user: USER }),
        'INVALID_PARAMETER',
        /password is required/,
      );
    });
  });

  describe('DELETE /{name}', () => {
    async function oauthAuthorization(
      kind: string,
      name: string,
      project = PROJECT,
    ): Promise<void> {
      const redirect = await t.request<{ url: string }>(
        'GET',
        `/v1/${project}/git/auths/${kind}/redirect`,
      );
      const { code, state } = await providers.fakes[kind].authorize(redirect.body.url, USER);
      const res = await t.request('POST', `/v1/${project}/git/auths/${kind}/oauth`, {
        body: { name, code, state },
      });
      expect(res.status).toBe(200);
    }

    it('deletes, answers 204 without a body, and 404 0450 the second time', async () => {
      const name = uniqueName('del');
      expect(
        (
          await postPersonal('github', {
            name,
            token: providers.fakes.github.issuePersonalToken(USER),
          })
        ).status,
      ).toBe(200);
      const res = await t.request('DELETE', `/v1/${PROJECT}/git/auths/${name}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await names()).not.toContain(name);
      expectError(
        await t.request('DELETE', `/v1/${PROJECT}/git/auths/${name}`),
        'AUTHORIZATION_NOT_FOUND',
      );
    });

    it.each(KINDS)(
      '%s: an OAuth grant is revoked upstream where the provider has an API for it',
      async (kind) => {
        const fake = providers.fakes[kind];
        const name = uniqueName(`rev-${kind}`);
        await oauthAuthorization(kind, name);
        const { token } = (
          await t.request<{ token: string }>('POST', `/v1/${PROJECT}/git/auths/${name}/credential`)
        ).body;
        const before = fake.revokedGrants().length;
        expect((await t.request('DELETE', `/v1/${PROJECT}/git/auths/${name}`)).status).toBe(204);
        if (fake.facts.revocation === 'none') {
          // Nothing to call: the token lives until it expires, as documented.
          expect(fake.calls('revoke')).toEqual([]);
          return;
        }
        await eventually(() => fake.revokedGrants().length > before);
        const gone = await fetch(`${fake.apiUrl}/user`, {
          headers: { authorization: `Bearer ${token}`, 'user-agent': 'test' },
        });
        expect(gone.status).toBe(401);
      },
    );

    it.each(KINDS.filter((k) => factsOf(k).revocation === 'grant'))(
      '%s: revokes only the token while another authorization shares the grant, then the grant',
      async (kind) => {
        const github = providers.fakes[kind];
        const first = uniqueName('share');
        const second = uniqueName('share');
        await oauthAuthorization(kind, first, PROJECT);
        await oauthAuthorization(kind, second, OTHER_PROJECT);
        const secondToken = (
          await t.request<{ token: string }>(
            'POST',
            `/v1/${OTHER_PROJECT}/git/auths/${second}/credential`,
          )
        ).body.token;

        let revokes = github.calls('revoke').length;
        expect((await t.request('DELETE', `/v1/${PROJECT}/git/auths/${first}`)).status).toBe(204);
        await eventually(() => github.calls('revoke').length > revokes);
        expect(github.calls('revoke').at(-1)?.path).toMatch(/\/token$/);
        const still = await fetch(`${github.apiUrl}/user`, {
          headers: { authorization: `Bearer ${secondToken}`, 'user-agent': 'test' },
        });
        expect(still.status).toBe(200);

        revokes = github.calls('revoke').length;
        expect((await t.request('DELETE', `/v1/${OTHER_PROJECT}/git/auths/${second}`)).status).toBe(
          204,
        );
        await eventually(() => github.calls('revoke').length > revokes);
        expect(github.calls('revoke').at(-1)?.path).toMatch(/\/grant$/);
      },
    );

    it('still deletes when the upstream revocation fails', async () => {
      const fake = providers.fakes.github;
      const name = uniqueName('revfail');
      await oauthAuthorization('github', name);
      fake.failNext('revoke', { status: 500 });
      const revokeCalls = fake.calls('revoke').length;
      expect((await t.request('DELETE', `/v1/${PROJECT}/git/auths/${name}`)).status).toBe(204);
      expect(await names()).not.toContain(name);
      await eventually(() => fake.calls('revoke').length > revokeCalls);
      // Nest's Logger is process-wide: with two apps in this file, the last one created writes the lines.
      await eventually(() =>
        [...t.logs, ...strict.logs].some((l) => l.includes('upstream revocation failed')),
      );
    });

    it('keeps projects apart: list and delete see only their own project', async () => {
      const name = uniqueName('iso');
      expect(
        (
          await postPersonal(
            'gitee',
            { name, token: providers.fakes.gitee.issuePersonalToken(USER) },
            t,
            OTHER_PROJECT,
          )
        ).status,
      ).toBe(200);
      expect(await names()).not.toContain(name);
      expect(await names(OTHER_PROJECT)).toContain(name);
      expectError(
        await t.request('DELETE', `/v1/${PROJECT}/git/auths/${name}`),
        'AUTHORIZATION_NOT_FOUND',
      );
      expect(await names(OTHER_PROJECT)).toContain(name);
      expect((await t.request('DELETE', `/v1/${OTHER_PROJECT}/git/auths/${name}`)).status).toBe(
        204,
      );
    });

    it('answers an invalid name with 0400', async () => {
      expectError(
        await t.request('DELETE', `/v1/${PROJECT}/git/auths/a`),
        'INVALID_PARAMETER',
        /name must be/,
      );
    });
  });
});

function revoked(fake: FakeProvider): string {
  const token = fake.issuePersonalToken(USER);
  fake.revokeToken(token);
  return token;
}
