import { createHash } from 'node:crypto';
import type { TokenType } from '../src/git-auth/domain/authorization';
import type { FakeProvider } from './fakes/fake-provider';
import { expectError } from './support/errors';
import { KINDS, kindsAccepting, USER } from './support/providers';
import {
  ADDED_LATER,
  authorize,
  BIG_FILE,
  COMMITS,
  FEATURE_BRANCHES,
  HUGE_FILE,
  MAX_FILE_BYTES,
  namespaceIdOf,
  ORG,
  OTHER_USER,
  PROJECT,
  projectIdOf,
  projectNameOf,
  REPO,
  seedRepositories,
  type Seeded,
  SUBGROUP,
  SUBMODULE,
  TAGS,
} from './support/repositories';
import { startStack, type Stack } from './support/stack';
import type { TestApp, TestResponse } from './support/test-app';

/** Every token kind each provider takes: OAuth everywhere, then personal tokens and passwords where accepted. */
const TOKEN_KINDS: [string, TokenType][] = [
  ...KINDS.map((kind): [string, TokenType] => [kind, 'oauth']),
  ...kindsAccepting('personal').map((kind): [string, TokenType] => [kind, 'personal']),
  ...kindsAccepting('password').map((kind): [string, TokenType] => [kind, 'password']),
];

interface FileBody {
  path: string;
  sha: string;
  encoding: string;
  content: string;
}

const gitBlob = (content: Buffer) =>
  createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');

/**
 * The eight read operations of ServiceStage's repository API, for every registered provider and every kind of
 * authorization it takes, against fake providers speaking the real formats and paging.
 */
describe('repository operations (read side)', () => {
  let stack: Stack;
  let t: TestApp;
  const seeded: Record<string, Seeded> = {};
  /** OAuth authorization of each provider, named after it. */
  const oauthName = (kind: string) => `${kind}-oauth`;

  beforeAll(async () => {
    stack = await startStack({ REPO_MAX_FILE_BYTES: String(MAX_FILE_BYTES) });
    t = stack.t;
    for (const kind of KINDS) {
      seeded[kind] = seedRepositories(stack.providers.fakes[kind]);
      await authorize(t, stack.providers.fakes[kind], 'oauth', oauthName(kind));
    }
  });

  afterAll(() => stack?.stop());

  const get = <T>(path: string, auth: string, query = '') =>
    t.request<T>('GET', `/v1/${PROJECT}/git/${path}${query}`, {
      headers: { 'x-repo-auth': auth },
    });

  describe.each(KINDS)('%s', (kind) => {
    const fake = (): FakeProvider => stack.providers.fakes[kind];
    const auth = oauthName(kind);
    const repoId = () => projectIdOf(fake(), seeded[kind].demo);
    const repoPath = (sub: string) => `repos/${USER}/${repoId()}/${sub}`;
    const filePath = (path: string) => `files/${USER}/${repoId()}/${path}`;

    it("listNamespaces: the user's own first, then organizations or groups", async () => {
      const res = await get<{ namespaces: { id: string; name: string }[] }>(
        'repos/namespaces',
        auth,
      );
      expect(res.status).toBe(200);
      const ids = res.body.namespaces.map((n) => n.id);
      expect(ids[0]).toBe(USER);
      expect(ids).toContain(ORG);
      if (kind === 'gitlab') expect(ids).toContain(namespaceIdOf(SUBGROUP));
      expect(ids).not.toContain(OTHER_USER);
      for (const n of res.body.namespaces) expect(Object.keys(n).sort()).toEqual(['id', 'name']);
    });

    it('showProjectDetail: from an https, ssh or scp-like clone URL, ids that round-trip', async () => {
      const web = new URL(fake().webUrl);
      const namespaces = await get<{ namespaces: { id: string; name: string }[] }>(
        'repos/namespaces',
        auth,
      );
      const expected = {
        namespace_id: USER,
        namespace: namespaces.body.namespaces.find((n) => n.id === USER)?.name,
        project_id: repoId(),
        project: projectNameOf(fake(), seeded[kind].demo),
      };
      for (const cloneUrl of [
        `${fake().webUrl}/${USER}/${REPO}.git`,
        `${web.protocol}//someone@${web.host}/${USER}/${REPO}/`,
        `ssh://git@${web.hostname}:2222/${USER}/${REPO}.git`,
        `git@${web.hostname}:${USER}/${REPO}.git`,
      ]) {
        const res = await get(
          'repos/project-info',
          auth,
          `?clone_url=${encodeURIComponent(cloneUrl)}`,
        );
        expect({ cloneUrl, body: res.body }).toEqual({ cloneUrl, body: expected });
      }
      const branches = await get<{ branches: string[] }>(
        `repos/${expected.namespace_id}/${expected.project_id}/branches`,
        auth,
      );
      expect(branches.status).toBe(200);
    });

    it('showProjectDetail: a GitLab subgroup repository, its namespace id written with ":"', async () => {
      if (kind !== 'gitlab') return;
      const res = await get<Record<string, string>>(
        'repos/project-info',
        auth,
        `?clone_url=${encodeURIComponent(`${fake().webUrl}/${SUBGROUP}/api.git`)}`,
      );
      expect(res.body).toEqual({
        namespace_id: namespaceIdOf(SUBGROUP),
        namespace: SUBGROUP,
        project_id: String(seeded[kind].api?.id),
        project: 'API',
      });
    });

    it("listProjects: the namespace's repositories with clean https clone URLs", async () => {
      const res = await get<{ projects: { id: string; name: string; clone_url: string }[] }>(
        `repos/${USER}/projects`,
        auth,
      );
      expect(res.status).toBe(200);
      const demo = res.body.projects.find((p) => p.id === repoId());
      expect(demo).toEqual({
        id: repoId(),
        name: projectNameOf(fake(), seeded[kind].demo),
        clone_url: `${fake().webUrl}/${USER}/${REPO}.git`,
      });
      expect(res.body.projects.map((p) => p.id)).toContain(projectIdOf(fake(), seeded[kind].empty));
      for (const p of res.body.projects) expect(new URL(p.clone_url).username).toBe('');

      const org = await get<{ projects: { id: string }[] }>(`repos/${ORG}/projects`, auth);
      expect(org.body.projects.map((p) => p.id)).toEqual([
        projectIdOf(fake(), seeded[kind].service),
      ]);
      const other = await get<{ projects: { id: string }[] }>(`repos/${OTHER_USER}/projects`, auth);
      expect(other.body.projects.map((p) => p.id)).toEqual([
        projectIdOf(fake(), seeded[kind].publicLib),
      ]);
    });

    it('listBranches: every branch, over several provider pages', async () => {
      const pages = fake().calls('branches').length;
      const res = await get<{ branches: string[] }>(repoPath('branches'), auth);
      expect(res.status).toBe(200);
      expect(res.body.branches).toHaveLength(FEATURE_BRANCHES + 2);
      expect(new Set(res.body.branches)).toEqual(new Set(seeded[kind].demo.branches.keys()));
      expect(fake().calls('branches').length - pages).toBeGreaterThanOrEqual(2);
    });

    it('listBranches and listTags of an empty repository: none', async () => {
      const empty = projectIdOf(fake(), seeded[kind].empty);
      expect((await get(`repos/${USER}/${empty}/branches`, auth)).body).toEqual({ branches: [] });
      expect((await get(`repos/${USER}/${empty}/tags`, auth)).body).toEqual({ tags: [] });
    });

    it('listTags', async () => {
      const res = await get<{ tags: string[] }>(repoPath('tags'), auth);
      expect(res.status).toBe(200);
      expect(res.body.tags.sort()).toEqual([...TAGS].sort());
    });

    it('listCommits: the latest 10 of the default branch, full messages, RFC 3339 UTC dates', async () => {
      const res = await get<{ commits: { sha: string; message: string; authored_date: string }[] }>(
        repoPath('commits'),
        auth,
      );
      expect(res.status).toBe(200);
      const history = seeded[kind].demo.history('main').slice(0, 10);
      expect(res.body.commits).toEqual(
        history.map((c) => ({ sha: c.sha, message: c.message, authored_date: c.authoredAt })),
      );
      expect(res.body.commits[0].message).toBe(`Commit ${COMMITS}\n\nWith a body.`);
      for (const c of res.body.commits)
        expect(c.authored_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it('listCommits of a tag, and of an empty repository', async () => {
      const tagged = await get<{ commits: { sha: string }[] }>(
        repoPath('commits'),
        auth,
        `?ref=${TAGS[0]}`,
      );
      expect(tagged.body.commits.map((c) => c.sha)).toEqual(
        seeded[kind].demo.history(TAGS[0]).map((c) => c.sha),
      );
      const empty = projectIdOf(fake(), seeded[kind].empty);
      expect((await get(`repos/${USER}/${empty}/commits`, auth)).body).toEqual({ commits: [] });
    });

    it('listTrees: every file at the ref, no directories, no submodules ("trees" beats {path})', async () => {
      const res = await get<{ paths: string[] }>(filePath('trees'), auth, '?ref=main');
      expect(res.status).toBe(200);
      expect(res.body.paths.sort()).toEqual([...seeded[kind].files.keys()].sort());
      expect(res.body.paths).not.toContain(SUBMODULE);
      const old = await get<{ paths: string[] }>(filePath('trees'), auth, `?ref=${TAGS[0]}`);
      expect(old.body.paths).toContain('CHANGELOG.md');
      expect(old.body.paths).not.toContain(ADDED_LATER);
    });

    it('showContent: text and binary files byte for byte, with their blob SHA', async () => {
      for (const [path, content] of seeded[kind].files) {
        if (path === HUGE_FILE || path === BIG_FILE) continue;
        const res = await get<FileBody>(filePath(path.replace(/\//g, ':')), auth, '?ref=main');
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.body).toEqual({
          path,
          sha: gitBlob(content),
          encoding: 'base64',
          content: content.toString('base64'),
        });
      }
    });

    it('showContent: a path with %2F instead of ":", and at a tag', async () => {
      const res = await get<FileBody>(filePath('src%2Fmain%2FApp.java'), auth, `?ref=${TAGS[1]}`);
      expect(res.status).toBe(200);
      expect(res.body.path).toBe('src/main/App.java');
    });

    it(`showContent: a file over the provider's inline limit, read its raw way`, async () => {
      const content = seeded[kind].files.get(BIG_FILE) as Buffer;
      const calls = fake().calls('contents').length;
      const res = await get<FileBody>(filePath(BIG_FILE.replace('/', ':')), auth, '?ref=main');
      expect(res.status).toBe(200);
      // Over the inline limit the provider is asked twice: what the path is, then its bytes.
      const beyondInline = content.length > fake().facts.inlineContentLimit;
      expect(fake().calls('contents').length - calls).toBe(beyondInline ? 2 : 1);
      expect(Buffer.from(res.body.content, 'base64').equals(content)).toBe(true);
      expect(res.body.sha).toBe(gitBlob(content));
    });

    it('showContent: over REPO_MAX_FILE_BYTES is 0458; a directory or submodule 0400; nothing there 0456', async () => {
      expectError(
        await get(filePath(HUGE_FILE.replace('/', ':')), auth, '?ref=main'),
        'FILE_TOO_LARGE',
        /REPO_MAX_FILE_BYTES/,
      );
      expectError(
        await get(filePath('src:main'), auth, '?ref=main'),
        'INVALID_PARAMETER',
        /directory/,
      );
      expectError(
        await get(filePath('vendor:lib'), auth, '?ref=main'),
        'INVALID_PARAMETER',
        /directory/,
      );
      expectError(await get(filePath('no:such.txt'), auth, '?ref=main'), 'REPO_NOT_FOUND');
    });

    it('answers 0456 for a repository it cannot see or that does not exist', async () => {
      const secret = projectIdOf(fake(), seeded[kind].secret);
      expectError(await get(`repos/${OTHER_USER}/${secret}/branches`, auth), 'REPO_NOT_FOUND');
      expectError(await get(`repos/${USER}/no-such-repo/tags`, auth), 'REPO_NOT_FOUND');
      expectError(await get(repoPath('commits'), auth, '?ref=no-such-branch'), 'REPO_NOT_FOUND');
    });
  });

  describe.each(TOKEN_KINDS)('%s with a %s authorization', (kind, tokenType) => {
    it('lists namespaces, branches and files and reads a file', async () => {
      const fake = stack.providers.fakes[kind];
      const { name } = await authorize(t, fake, tokenType, `${kind}-${tokenType}-kinds`);
      const id = projectIdOf(fake, seeded[kind].demo);
      const namespaces = await get<{ namespaces: { id: string }[] }>('repos/namespaces', name);
      expect(namespaces.body.namespaces[0]?.id).toBe(USER);
      const branches = await get<{ branches: string[] }>(`repos/${USER}/${id}/branches`, name);
      expect(branches.body.branches).toHaveLength(FEATURE_BRANCHES + 2);
      const trees = await get<{ paths: string[] }>(`files/${USER}/${id}/trees`, name, '?ref=main');
      expect(trees.body.paths).toContain('README.md');
      const readme = await get<FileBody>(`files/${USER}/${id}/README.md`, name, '?ref=main');
      expect(Buffer.from(readme.body.content, 'base64')).toEqual(
        seeded[kind].files.get('README.md'),
      );
    });
  });

  it("labels its provider calls in the metrics with the operation's SDK id", async () => {
    for (const kind of KINDS) {
      const id = projectIdOf(stack.providers.fakes[kind], seeded[kind].demo);
      expect((await get(`repos/${USER}/${id}/branches`, oauthName(kind))).status).toBe(200);
    }
    const metrics = await t.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    for (const kind of KINDS)
      expect(metrics.text).toMatch(
        new RegExp(
          `git_auth_provider_request_duration_seconds_count\\{provider="${kind}",operation="listBranches",outcome="2xx"\\} [1-9]`,
        ),
      );
  });

  it('sends no token in any response and writes none to the log', async () => {
    const responses: TestResponse[] = [];
    for (const kind of KINDS) {
      const fake = stack.providers.fakes[kind];
      const id = projectIdOf(fake, seeded[kind].demo);
      for (const path of [
        'repos/namespaces',
        `repos/${USER}/projects`,
        `repos/${USER}/${id}/commits`,
        `files/${USER}/${id}/trees?ref=main`,
        `files/${USER}/${id}/no-such-file?ref=main`,
      ])
        responses.push(await get(path, oauthName(kind)));
    }
    const secrets = KINDS.flatMap((kind) => stack.providers.fakes[kind].issuedSecrets());
    expect(secrets.length).toBeGreaterThan(KINDS.length);
    const everything = [...responses.map((r) => r.text), ...t.logs].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
