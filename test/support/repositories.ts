import { randomBytes } from 'node:crypto';
import type { TokenType } from '../../src/git-auth/domain/authorization';
import type { FakeProvider } from '../fakes/fake-provider';
import type { FakeRepo } from '../fakes/repositories';
import { USER } from './providers';
import type { TestApp } from './test-app';

/**
 * The repositories every fake provider hosts in the repository-operation tests, and the authorizations that
 * reach them. The same content at every provider, so one expectation serves them all.
 */

export const PROJECT = '0123456789abcdef0123456789abcdef';
export const ORG = 'acme';
/** A GitLab subgroup of ORG. */
export const SUBGROUP = 'acme/platform';
export const OTHER_USER = 'other-user';
export const REPO = 'demo';
export const DISPLAY_NAME = 'Demo Project';
/** Branches besides main and release/1.0: enough for two pages at 100 per page, four at Gitea's 50. */
export const FEATURE_BRANCHES = 150;
export const TAGS = ['v1.0.0', 'v1.1.0', 'v2.0.0'];
export const COMMITS = 12;
/** The service's REPO_MAX_FILE_BYTES in these tests. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Over GitHub's 1 MB inline limit (and the fakes' 1 MiB): read the provider's raw way. */
export const BIG_FILE = 'assets/big.bin';
/** Over MAX_FILE_BYTES. */
export const HUGE_FILE = 'assets/huge.bin';
export const SUBMODULE = 'vendor/lib';
/** Added after the first tag. */
export const ADDED_LATER = 'docs/added-later.md';

export interface Seeded {
  readonly demo: FakeRepo;
  readonly empty: FakeRepo;
  /** ORG's private repository (USER is a member). */
  readonly service: FakeRepo;
  /** OTHER_USER's public repository. */
  readonly publicLib: FakeRepo;
  /** OTHER_USER's private repository: invisible to USER. */
  readonly secret: FakeRepo;
  /** In SUBGROUP, GitLab only. */
  readonly api?: FakeRepo;
  /** Every file of demo's main branch, path → content. */
  readonly files: ReadonlyMap<string, Buffer>;
}

/** Demo's files; binary ones random, so that a byte-exact round trip means something. */
function demoFiles(): Record<string, Buffer> {
  return {
    'README.md': Buffer.from('# Demo\n\nA repository of the fake providers.\n'),
    'src/main/App.java': Buffer.from(
      'public class App {\n  public static void main(String[] a) {}\n}\n',
    ),
    'src/main/resources/app.yml': Buffer.from('server:\n  port: 8080\n'),
    'docs/guide/intro.md': Buffer.from('Intro\n'),
    'docs/read me.md': Buffer.from('A name with a space.\n'),
    'config.json': Buffer.from('{"build": "mvn package"}\n'),
    'assets/logo.png': randomBytes(4096),
    [BIG_FILE]: randomBytes(1_500_000),
    [HUGE_FILE]: randomBytes(MAX_FILE_BYTES + 1024),
  };
}

export function seedRepositories(fake: FakeProvider): Seeded {
  const repos = fake.repositories;
  if (!fake.findUser(OTHER_USER)) fake.addUser(OTHER_USER);
  repos.addNamespace(ORG, { kind: 'org', name: 'Acme Inc', members: [USER], giteeType: 'group' });
  if (fake.kind === 'gitlab')
    repos.addNamespace(SUBGROUP, { kind: 'org', name: 'Platform', members: [USER] });

  const demo = repos.addRepo(USER, REPO, { displayName: DISPLAY_NAME });
  const files = demoFiles();
  const start = Date.parse('2024-05-01T06:30:00Z');
  for (let i = 1; i <= COMMITS; i++) {
    const first = i === 1;
    demo.commit('main', {
      message: i === COMMITS ? `Commit ${i}\n\nWith a body.` : `Commit ${i}`,
      files: first
        ? files
        : { 'CHANGELOG.md': `change ${i}\n`, ...(i === 5 ? { [ADDED_LATER]: 'Later.\n' } : {}) },
      submodules: first ? [SUBMODULE] : [],
      authoredAt: new Date(start + i * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    if (i === 3) demo.tags.set(TAGS[0], demo.branches.get('main') ?? '');
    if (i === 8) demo.tags.set(TAGS[1], demo.branches.get('main') ?? '');
  }
  const head = demo.branches.get('main') ?? '';
  demo.tags.set(TAGS[2], head);
  demo.branches.set('release/1.0', head);
  for (let i = 1; i <= FEATURE_BRANCHES; i++)
    demo.branches.set(`feature/${String(i).padStart(3, '0')}`, head);

  const empty = repos.addRepo(USER, 'empty');
  const service = repos.addRepo(ORG, 'service', { displayName: 'Service' });
  service.commit('main', { message: 'Initial commit', files: { 'pom.xml': '<project/>\n' } });
  const publicLib = repos.addRepo(OTHER_USER, 'public-lib', { private: false });
  publicLib.commit('main', {
    message: 'Initial commit',
    files: { 'lib.js': 'module.exports = 1;\n' },
  });
  const secret = repos.addRepo(OTHER_USER, 'secret');
  secret.commit('main', { message: 'Initial commit', files: { 'secret.txt': 'nope\n' } });
  const api =
    fake.kind === 'gitlab' ? repos.addRepo(SUBGROUP, 'api', { displayName: 'API' }) : undefined;
  api?.commit('main', { message: 'Initial commit', files: { 'openapi.yml': 'openapi: 3.0.0\n' } });

  const mainFiles = demo.head('main')?.files ?? new Map<string, Buffer>();
  return { demo, empty, service, publicLib, secret, api, files: mainFiles };
}

/** `{project}` of a repository at its provider: GitLab's numeric id, else its path. */
export function projectIdOf(fake: FakeProvider, repo: FakeRepo): string {
  return fake.facts.projectIds === 'numeric' ? String(repo.id) : repo.name;
}

/** The name a provider shows for a repository. */
export function projectNameOf(fake: FakeProvider, repo: FakeRepo): string {
  return fake.facts.displayNames ? repo.displayName : repo.name;
}

/** `{namespace}` of a namespace path: `/` written `:`. */
export function namespaceIdOf(path: string): string {
  return path.replace(/\//g, ':');
}

/**
 * Creates an authorization of `tokenType` for USER at `fake` through the service's own API (an OAuth flow, a
 * personal token, an app password). Returns its name and the secret it was made with.
 */
export async function authorize(
  t: TestApp,
  fake: FakeProvider,
  tokenType: TokenType,
  name: string,
  options: { host?: string; project?: string } = {},
): Promise<{ name: string; secret: string }> {
  const project = options.project ?? PROJECT;
  const base = `/v1/${project}/git/auths/${fake.kind}`;
  let secret: string;
  let res;
  switch (tokenType) {
    case 'oauth': {
      const redirect = await t.request<{ url: string }>('GET', `${base}/redirect`);
      const { code, state } = await fake.authorize(redirect.body.url, USER);
      res = await t.request('POST', `${base}/oauth`, { body: { name, code, state } });
      secret = code;
      break;
    }
    case 'personal':
      secret = fake.issuePersonalToken(USER);
      res = await t.request('POST', `${base}/personal`, {
        body: { name, token: secret, ...(options.host ? { host: options.host } : {}) },
      });
      break;
    case 'password':
      secret = `app-password-${name}`;
      fake.addAppPassword(USER, secret);
      res = await t.request('POST', `${base}/password`, {
        body: { name, user: USER, password: secret },
      });
      break;
  }
  if (res.status !== 200)
    throw new Error(`authorizing ${name} answered ${res.status}: ${res.text}`);
  return { name, secret };
}
