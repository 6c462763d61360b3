import type { FakeCommit, FakeRepo, TreeEntry } from './repositories';
import { inOffset, treeSha } from './repositories';
import type { ApiCaller, RepoEndpoint, RequestContext, Route } from './types';

/**
 * Plumbing the fakes' repository APIs share: routes behind the provider's authentication, path segments decoded
 * as routers do, and the GitHub shapes (commits, tree entries) that Gitee and Gitea copied.
 */

export type Authenticate = (ctx: RequestContext) => ApiCaller | undefined;

/** A route that runs `handle` for an authenticated caller; the provider answered the others already. */
export function authenticated(authenticate: Authenticate) {
  return (
    endpoint: RepoEndpoint,
    handle: (ctx: RequestContext, caller: ApiCaller) => void,
  ): Route => ({
    endpoint,
    handle: (ctx) => {
      const caller = authenticate(ctx);
      if (caller) handle(ctx, caller);
    },
  });
}

/** `/repos/{owner}/{repo}[/{rest}]` (GitHub, Gitee, Gitea), its segments decoded. */
export function repoRoute(path: string): { owner: string; name: string; sub: string } | undefined {
  const match = /^\/repos\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(path);
  return match
    ? { owner: decodeSegment(match[1]), name: decodeSegment(match[2]), sub: match[3] ?? '' }
    : undefined;
}

/** A percent-encoded path segment (or `/` path) as a router decodes it. */
export function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** git's file mode of a tree entry. */
export function gitMode(entry: Pick<TreeEntry, 'type'>): string {
  return entry.type === 'tree' ? '040000' : entry.type === 'commit' ? '160000' : '100644';
}

/** A GitHub-shaped commit list item, its dates in the provider's offset. */
export function githubStyleCommit(
  webUrl: string,
  repo: FakeRepo,
  c: FakeCommit,
  offsetMinutes: number,
): unknown {
  const author = {
    name: 'Octo User',
    email: 'octo@example.com',
    date: inOffset(c.authoredAt, offsetMinutes),
  };
  return {
    sha: c.sha,
    html_url: `${webUrl}/${repo.fullPath}/commit/${c.sha}`,
    commit: { author, committer: author, message: c.message },
    parents: c.parents.map((sha) => ({ sha })),
  };
}

/** A GitHub-shaped tree answer (`sha`, `url`, `tree`) of directory `at.dir`, its entry paths relative to it. */
export function treeJson(
  apiUrl: string,
  repo: FakeRepo,
  at: { commit: FakeCommit; dir: string },
  entries: readonly TreeEntry[],
): { sha: string; url: string; tree: unknown[] } {
  const prefix = at.dir === '' ? '' : `${at.dir}/`;
  const sha = treeSha(at.commit, at.dir);
  return {
    sha,
    url: `${apiUrl}/repos/${repo.fullPath}/git/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path.slice(prefix.length),
      mode: gitMode(e),
      type: e.type,
      sha: e.sha,
      size: e.size ?? 0,
    })),
  };
}

/** The handlers of a GitHub-shaped `/repos/{owner}/{repo}/…` API: what GitHub, Gitee and Gitea serve there. */
export interface GitHubStyleRepoHandlers {
  project(ctx: RequestContext, repo: FakeRepo): void;
  refs(ctx: RequestContext, repo: FakeRepo, refs: Map<string, string>): void;
  commits(ctx: RequestContext, repo: FakeRepo): void;
  tree(ctx: RequestContext, repo: FakeRepo, ref: string): void;
  /** `raw`: the `…/raw/{path}` route (Gitee, Gitea). */
  contents(ctx: RequestContext, repo: FakeRepo, path: string, raw: boolean): void;
}

/** The route of `sub` (what follows `/repos/{owner}/{repo}`), each run `within` the repository. */
export function githubStyleRepoRoute(
  sub: string,
  within: (endpoint: RepoEndpoint, handle: (ctx: RequestContext, repo: FakeRepo) => void) => Route,
  handlers: GitHubStyleRepoHandlers,
): Route | undefined {
  if (sub === '') return within('project', (c, r) => handlers.project(c, r));
  if (sub === 'branches' || sub === 'tags')
    return within(sub, (c, r) => handlers.refs(c, r, sub === 'branches' ? r.branches : r.tags));
  if (sub === 'commits') return within('commits', (c, r) => handlers.commits(c, r));
  const tree = /^git\/trees\/(.+)$/.exec(sub);
  if (tree) return within('trees', (c, r) => handlers.tree(c, r, decodeSegment(tree[1])));
  const contents = /^(contents|raw)\/(.*)$/.exec(sub);
  if (contents)
    return within('contents', (c, r) =>
      handlers.contents(c, r, decodeSegment(contents[2]), contents[1] === 'raw'),
    );
  return undefined;
}

/** A branch or tag of a GitHub-shaped list (GitHub, Gitee). */
export function refJson(apiUrl: string, repo: FakeRepo, name: string, sha: string): unknown {
  return {
    name,
    commit: { sha, url: `${apiUrl}/repos/${repo.fullPath}/commits/${sha}` },
    protected: false,
  };
}
