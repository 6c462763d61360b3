import type { FakeProvider } from './fakes/fake-provider';
import type { FakeGitHub } from './fakes/fake-github';
import type { FakeGitLab } from './fakes/fake-gitlab';
import { expectError } from './support/errors';
import { KINDS, USER } from './support/providers';
import {
  authorize,
  FEATURE_BRANCHES,
  ORG,
  OTHER_USER,
  PROJECT,
  projectIdOf,
  seedRepositories,
  type Seeded,
} from './support/repositories';
import { startStack, type Stack } from './support/stack';
import { startTestApp, type TestApp } from './support/test-app';

const TIMEOUT_MS = 1500;
const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
/** Provider-independent checks run once, against this provider. */
const ANY = 'gitlab';

/**
 * What goes wrong, mapped: the X-Repo-Auth resolution, each provider's refusals (401, 403, 404, rate limits),
 * outages and timeouts, hostile next-page links and the REPO_LIST_MAX_ITEMS cap.
 */
describe('repository operations: errors', () => {
  let stack: Stack;
  let t: TestApp;
  const seeded: Record<string, Seeded> = {};
  let counter = 0;

  beforeAll(async () => {
    stack = await startStack({ PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) });
    t = stack.t;
    for (const kind of KINDS) seeded[kind] = seedRepositories(stack.providers.fakes[kind]);
  });

  afterEach(() => {
    for (const fake of Object.values(stack.providers.fakes)) {
      fake.useUsualTokens();
      fake.nextPageOrigin = undefined;
    }
  });

  afterAll(() => stack?.stop());

  const fakeOf = (kind: string): FakeProvider => stack.providers.fakes[kind];
  const connect = async (kind: string, tokenType: 'oauth' | 'personal' = 'oauth') =>
    (await authorize(t, fakeOf(kind), tokenType, `${kind}-${tokenType}-${++counter}`)).name;
  const branches = (kind: string, auth: string, app = t) =>
    app.request<{ branches: string[] }>(
      'GET',
      `/v1/${PROJECT}/git/repos/${USER}/${projectIdOf(fakeOf(kind), seeded[kind].demo)}/branches`,
      { headers: { 'x-repo-auth': auth } },
    );
  const statusOf = async (name: string) =>
    (
      await t.request<{ authorizations: { name: string; status: number }[] }>(
        'GET',
        `/v1/${PROJECT}/git/auths`,
      )
    ).body.authorizations.find((a) => a.name === name)?.status;

  describe('X-Repo-Auth', () => {
    const namespaces = (headers: Record<string, string>, project = PROJECT) =>
      t.request('GET', `/v1/${project}/git/repos/namespaces`, { headers });

    it('missing: 0400, naming the header', async () => {
      expectError(await namespaces({}), 'INVALID_PARAMETER', /X-Repo-Auth/);
    });

    it.each([
      ['too short', 'abc'],
      ['a space', 'my auth'],
      ['a slash', 'a/b/c/d'],
    ])('with %s: 0400', async (_case, value) => {
      expectError(await namespaces({ 'x-repo-auth': value }), 'INVALID_PARAMETER', /X-Repo-Auth/);
    });

    it("unknown, or another project's: 0450, without calling the provider", async () => {
      const name = await connect(ANY);
      const before = fakeOf(ANY).calls().length;
      expectError(await namespaces({ 'x-repo-auth': 'no-such-auth' }), 'AUTHORIZATION_NOT_FOUND');
      expectError(
        await namespaces({ 'x-repo-auth': name }, OTHER_PROJECT),
        'AUTHORIZATION_NOT_FOUND',
      );
      expect(fakeOf(ANY).calls().length).toBe(before);
    });
  });

  describe.each(KINDS)('%s', (kind) => {
    const fake = () => fakeOf(kind);

    it('a token the provider no longer accepts (401): 0451, the authorization not authenticated, no further calls', async () => {
      const name = await connect(kind);
      for (const secret of fake().issuedSecrets()) fake().revokeToken(secret);
      expectError(await branches(kind, name), 'AUTHORIZATION_INVALID', /re-authorize/);
      expect(await statusOf(name)).toBe(2);
      const calls = fake().calls().length;
      expectError(await branches(kind, name), 'AUTHORIZATION_INVALID');
      expect(fake().calls().length).toBe(calls);
    });

    it('an expiring token is refreshed before use; a dead refresh token is 0451 and expired', async () => {
      fake().useExpiringTokens(60);
      const fresh = await connect(kind);
      const refreshes = fake().refreshCount();
      expect((await branches(kind, fresh)).status).toBe(200);
      expect(fake().refreshCount()).toBe(refreshes + 1);

      const dead = await connect(kind);
      fake().expireRefreshTokens();
      expectError(await branches(kind, dead), 'AUTHORIZATION_INVALID');
      expect(await statusOf(dead)).toBe(1);
    });

    it("a refusal for lack of rights (403): 0455 with the provider's reason", async () => {
      const name = await connect(kind);
      fake().failNext('branches', {
        status: 403,
        body: JSON.stringify({ message: 'Resource not accessible by integration' }),
      });
      expectError(await branches(kind, name), 'PROVIDER_FORBIDDEN', /not accessible/);
    });

    it('a rate limit (429 with Retry-After): 0457, Retry-After passed on', async () => {
      const name = await connect(kind);
      fake().failNext('branches', { status: 429, headers: { 'retry-after': '17' } });
      const res = await branches(kind, name);
      expectError(res, 'PROVIDER_RATE_LIMITED');
      expect(res.headers.get('retry-after')).toBe('17');
    });

    it('a failure (5xx), or an answer that is not JSON: 0502', async () => {
      const name = await connect(kind);
      fake().failNext('branches', { status: 503 });
      expectError(await branches(kind, name), 'PROVIDER_UNAVAILABLE', /HTTP 503/);
      fake().failNext('branches', {
        status: 200,
        body: '<html>maintenance</html>',
        headers: { 'content-type': 'text/html' },
      });
      expectError(await branches(kind, name), 'PROVIDER_UNAVAILABLE');
    });

    it(`no answer within PROVIDER_TIMEOUT_MS: 0504`, async () => {
      const name = await connect(kind);
      fake().failNext('branches', { delayMs: TIMEOUT_MS + 1000 });
      expectError(await branches(kind, name), 'PROVIDER_TIMEOUT');
    });

    it('a next page on another origin is not followed (the token goes nowhere else): 0502', async () => {
      if (!fake().facts.nextPageByUrl) return;
      const name = await connect(kind);
      const elsewhere = fakeOf(kind === 'github' ? 'gitea' : 'github');
      fake().nextPageOrigin = elsewhere.baseUrl;
      const before = elsewhere.calls().length;
      expectError(await branches(kind, name), 'PROVIDER_UNAVAILABLE', /another origin/);
      expect(elsewhere.calls().length).toBe(before);
    });
  });

  describe('provider specifics', () => {
    it('GitHub: an exhausted rate limit (403, x-ratelimit-remaining 0) is 0457 with the wait until the reset', async () => {
      const github = fakeOf('github') as FakeGitHub;
      const name = await connect('github');
      github.exhaustRateLimit();
      try {
        const res = await branches('github', name);
        expectError(res, 'PROVIDER_RATE_LIMITED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3500);
      } finally {
        github.resetRateLimit();
      }
    });

    it('GitHub: without read:org, the owners of reachable repositories stand in for the organizations', async () => {
      const github = fakeOf('github');
      const name = await connect('github');
      const res = await t.request<{ namespaces: { id: string }[] }>(
        'GET',
        `/v1/${PROJECT}/git/repos/namespaces`,
        { headers: { 'x-repo-auth': name } },
      );
      expect(res.body.namespaces.map((n) => n.id)).toEqual([USER, ORG]);
      const asked = github.calls('projects').at(-1);
      expect(asked?.query.affiliation).toBe('owner,collaborator,organization_member');
    });

    it('GitHub: a truncated recursive tree is read one directory at a time, completely', async () => {
      const github = fakeOf('github') as FakeGitHub;
      const name = await connect('github');
      const trees = () =>
        t.request<{ paths: string[] }>(
          'GET',
          `/v1/${PROJECT}/git/files/${USER}/demo/trees?ref=main`,
          {
            headers: { 'x-repo-auth': name },
          },
        );
      const whole = await trees();
      github.treeEntryLimit = 5;
      try {
        const walked = await trees();
        expect(walked.status).toBe(200);
        expect(walked.body.paths.sort()).toEqual(whole.body.paths.sort());
        expect(github.calls('trees').at(-1)?.query.recursive).toBeUndefined();
      } finally {
        github.treeEntryLimit = 100_000;
      }
    });

    it('GitLab: a token without read_api (insufficient_scope) is 0455', async () => {
      const gitlab = fakeOf('gitlab');
      const token = gitlab.issuePersonalToken(USER, { scopes: ['read_user'] });
      const name = `gitlab-narrow-${++counter}`;
      await t.request('POST', `/v1/${PROJECT}/git/auths/gitlab/personal`, {
        body: { name, token },
      });
      expectError(await branches('gitlab', name), 'PROVIDER_FORBIDDEN', /insufficient_scope/);
    });

    it("GitLab: an administrator's namespaces are theirs and their groups', not the whole instance", async () => {
      const gitlab = fakeOf('gitlab') as FakeGitLab;
      gitlab.makeAdmin(USER);
      const name = await connect('gitlab', 'personal');
      const res = await t.request<{ namespaces: { id: string }[] }>(
        'GET',
        `/v1/${PROJECT}/git/repos/namespaces`,
        { headers: { 'x-repo-auth': name } },
      );
      expect(res.body.namespaces.map((n) => n.id)).toEqual([USER, ORG, 'acme:platform']);
      expect(res.body.namespaces.map((n) => n.id)).not.toContain(OTHER_USER);
    });

    it('Gitea: a token without read:repository is 0455; without read:organization the user alone', async () => {
      const gitea = fakeOf('gitea');
      const create = async (scopes: string[]) => {
        const name = `gitea-scoped-${++counter}`;
        const token = gitea.issuePersonalToken(USER, { scopes });
        await t.request('POST', `/v1/${PROJECT}/git/auths/gitea/personal`, {
          body: { name, token },
        });
        return name;
      };
      expectError(await branches('gitea', await create(['read:user'])), 'PROVIDER_FORBIDDEN');
      const res = await t.request<{ namespaces: { id: string }[] }>(
        'GET',
        `/v1/${PROJECT}/git/repos/namespaces`,
        { headers: { 'x-repo-auth': await create(['read:user', 'read:repository']) } },
      );
      expect(res.body.namespaces.map((n) => n.id)).toEqual([USER]);
    });
  });

  describe('REPO_LIST_MAX_ITEMS', () => {
    let capped: TestApp;

    beforeAll(async () => {
      capped = await startTestApp({
        DATABASE_URL: stack.db.url,
        AUTH_MODE: 'none',
        REPO_LIST_MAX_ITEMS: '100',
        ...stack.providers.env,
      });
    });

    afterAll(() => capped?.close());

    it.each(KINDS)('%s: a list stops at the cap, with a warning in the log', async (kind) => {
      const name = await connect(kind);
      const pages = fakeOf(kind).calls('branches').length;
      const res = await branches(kind, name, capped);
      expect(res.status).toBe(200);
      expect(res.body.branches).toHaveLength(100);
      expect(fakeOf(kind).calls('branches').length - pages).toBeLessThan(FEATURE_BRANCHES / 10);
      const warnings = capped.logs
        .map((l) => JSON.parse(l) as { level: number; msg: string; provider?: string })
        .filter((l) => l.level === 40 && l.msg === 'list truncated at REPO_LIST_MAX_ITEMS');
      expect(warnings.map((w) => w.provider)).toContain(kind);
    });
  });
});
