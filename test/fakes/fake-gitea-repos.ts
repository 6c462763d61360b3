import type { FakeGitea } from './fake-gitea';
import { send, sendJson, type Params } from './http';
import { linkHeader, pageOf } from './paging';
import type { FakeNamespace, FakeRepo } from './repositories';
import { blobSha } from './repositories';
import {
  authenticated,
  githubStyleCommit,
  githubStyleRepoRoute,
  type GitHubStyleRepoHandlers,
  treeJson,
  decodeSegment,
  repoRoute,
} from './repo-api';
import type { ApiCaller, RepoEndpoint, RequestContext, Route } from './types';
import { type GitHubStyleDialect, GitHubStyleWrites } from './github-style-writes';

/** `limit` is capped at 50 (MAX_RESPONSE_ITEMS); 30 by default. */
const PAGE = { param: 'limit', fallback: 30, max: 50 };
const TREE_PAGE = { param: 'per_page', fallback: 1000, max: 1000 };
const READ_REPOSITORY = ['read:repository', 'write:repository'];
const WRITE_REPOSITORY = ['write:repository'];

/**
 * Gitea's repository API (v1, under /api/v1), GitHub-like: `/user/orgs` (scope read:organization), the user's
 * own repositories at `/user/repos`, organizations' and users' repositories, branches, tags, commits (409 on an
 * empty repository), git trees paged by `page`/`per_page` with `truncated` meaning "more pages", contents
 * (inline up to the blob limit) and raw files. Lists page with `limit` ≤ 50, `Link` and `X-Total-Count`.
 */
export class GiteaRepoApi implements GitHubStyleRepoHandlers {
  private readonly writes: GitHubStyleWrites;

  constructor(private readonly fake: FakeGitea) {
    this.writes = new GitHubStyleWrites(this.dialect());
  }

  route(method: string, path: string): Route | undefined {
    if (!path.startsWith('/api/v1/')) return undefined;
    const rest = path.slice('/api/v1'.length);
    const writing = method !== 'GET';
    const on = (
      endpoint: RepoEndpoint,
      handle: (c: RequestContext, caller: ApiCaller) => void,
      scopes = writing ? WRITE_REPOSITORY : READ_REPOSITORY,
    ) => authenticated((c) => this.fake.authenticateApi(c, scopes))(endpoint, handle);
    if (method === 'POST' && rest === '/user/repos')
      return on('projects', (c, who) => this.writes.createRepo(c, who, undefined, true));
    const org = /^\/orgs\/([^/]+)\/repos$/.exec(rest);
    if (method === 'POST' && org)
      return on('projects', (c, who) => {
        const ns = this.fake.repositories.namespace(decodeSegment(org[1]));
        const member = ns?.kind === 'org' && ns.members.has(who.user.username);
        this.writes.createRepo(c, who, ns?.path, member);
      });
    if (writing && !repoRoute(rest)) return undefined;
    if (rest === '/user/orgs')
      return on('namespaces', (c, who) => this.userOrgs(c, who), ['read:organization']);
    if (rest === '/user/repos') return on('projects', (c, who) => this.userRepos(c, who));
    const owned = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(rest);
    if (owned)
      return on('projects', (c, who) =>
        this.ownerRepos(c, who, owned[1] === 'orgs', decodeSegment(owned[2])),
      );
    const repo = repoRoute(rest);
    if (!repo) return undefined;
    const { owner, name, sub } = repo;
    const within = (endpoint: RepoEndpoint, handle: (c: RequestContext, r: FakeRepo) => void) =>
      on(endpoint, (c, who) => {
        const found = this.fake.repositories.repo(owner, name);
        const member = found?.owner.members.has(who.user.username);
        const allowed = writing || endpoint === 'hooks' ? member : true;
        if (!found || !this.fake.repositories.canSee(who.user.username, found))
          return this.notFound(c);
        // reqRepoAdmin: a reader who may see the repository is refused, not misled.
        if (!allowed)
          return this.json(
            c,
            {
              message: 'user should be an owner or a collaborator with admin write of a repository',
              url: this.fake.swaggerUrl(),
            },
            403,
          );
        handle(c, found);
      });
    const write = this.writes.route(method, sub, within);
    if (write || writing) return write;
    return githubStyleRepoRoute(sub, within, this);
  }

  private dialect(): GitHubStyleDialect {
    const answer = (status: number, message: string) => ({
      status,
      body: { message, url: this.fake.swaggerUrl() },
    });
    return {
      json: (ctx, body, status = 200) => this.json(ctx, body, status),
      notFound: (ctx) => this.notFound(ctx),
      repoJson: (repo) => this.repoJson(repo),
      repositories: this.fake.repositories,
      repoExists: answer(409, 'The repository with the same name already exists.'),
      createFileMethod: 'POST',
      deleteParams: 'body',
      fileExists: (path) => answer(422, `repository file already exists [path: ${path}]`),
      staleSha: (_path, given, expected) =>
        answer(422, `sha does not match [given: ${given}, expected: ${expected}]`),
      parseHook: (body) => {
        const config = (body.config ?? {}) as Record<string, unknown>;
        if (
          body.type !== 'gitea' ||
          typeof config.url !== 'string' ||
          typeof config.content_type !== 'string'
        )
          return answer(422, '[config]: config.url and config.content_type are required');
        return {
          url: config.url,
          secret: typeof config.secret === 'string' ? config.secret : '',
          events: Array.isArray(body.events) ? (body.events as string[]) : ['push'],
          settings: { active: body.active, content_type: config.content_type },
        };
      },
      // Gitea never shows a hook's secret.
      hookJson: (_repo, hook) => ({
        id: Number(hook.id),
        type: 'gitea',
        branch_filter: '*',
        config: { url: hook.url, content_type: hook.settings.content_type },
        events: hook.events,
        active: hook.settings.active,
      }),
      tags: 'gitea',
      tagExists: answer(409, 'tag already exists'),
    };
  }

  private userOrgs(ctx: RequestContext, caller: ApiCaller): void {
    const orgs = this.fake.repositories.orgsOf(caller.user.username);
    this.paged(ctx, orgs, (o) => this.orgJson(o));
  }

  /** The repositories the user owns. */
  private userRepos(ctx: RequestContext, caller: ApiCaller): void {
    const me = caller.user.username;
    this.paged(ctx, this.fake.repositories.reposOf(me), (r) => this.repoJson(r));
  }

  private ownerRepos(ctx: RequestContext, caller: ApiCaller, org: boolean, owner: string): void {
    const found = this.fake.repositories.namespace(owner);
    if (!found || (org && found.kind !== 'org'))
      return this.json(
        ctx,
        { message: org ? 'GetOrgByName' : 'GetUserByName', url: this.fake.swaggerUrl() },
        404,
      );
    const repos = this.fake.repositories
      .reposOf(found.path)
      .filter((r) => this.fake.repositories.canSee(caller.user.username, r));
    this.paged(ctx, repos, (r) => this.repoJson(r));
  }

  refs(ctx: RequestContext, repo: FakeRepo, refs: Map<string, string>): void {
    const sorted = [...refs].sort(([a], [b]) => a.localeCompare(b));
    this.paged(ctx, sorted, ([name, sha]) =>
      refs === repo.branches
        ? { name, commit: { id: sha, message: repo.commits.get(sha)?.message }, protected: false }
        : {
            name,
            id: sha,
            commit: { sha, url: `${this.fake.apiUrl}/repos/${repo.fullPath}/git/commits/${sha}` },
          },
    );
  }

  commits(ctx: RequestContext, repo: FakeRepo): void {
    if (repo.isEmpty)
      return this.json(
        ctx,
        { message: 'Git Repository is empty.', url: this.fake.swaggerUrl() },
        409,
      );
    if (!repo.resolve(ctx.query.sha)) return this.notFound(ctx);
    this.paged(ctx, repo.history(ctx.query.sha), (c) =>
      githubStyleCommit(this.fake.webUrl, repo, c, 60),
    );
  }

  /** A recursive tree in pages of `per_page` entries; `truncated` says another page follows. */
  tree(ctx: RequestContext, repo: FakeRepo, ref: string): void {
    if (repo.isEmpty)
      return this.json(
        ctx,
        { message: 'Git Repository is empty.', url: this.fake.swaggerUrl() },
        409,
      );
    const commit = repo.resolve(ref);
    const at = commit ? { commit, dir: '' } : repo.treeAt(ref);
    if (!at) return this.notFound(ctx);
    const recursive = ctx.query.recursive === 'true';
    const entries = recursive ? repo.walk(at.commit, at.dir) : repo.entries(at.commit, at.dir);
    const page = pageOf(entries, ctx.query, TREE_PAGE);
    this.json(ctx, {
      ...treeJson(this.fake.apiUrl, repo, at, page.items),
      truncated: page.hasNext,
      page: page.page,
      total_count: page.total,
    });
  }

  contents(ctx: RequestContext, repo: FakeRepo, path: string, raw: boolean): void {
    if (repo.isEmpty)
      return this.json(
        ctx,
        { message: 'Git Repository is empty.', url: this.fake.swaggerUrl() },
        409,
      );
    const commit = repo.resolve(ctx.query.ref);
    const kind = commit ? repo.kindAt(commit, path) : undefined;
    if (!commit || kind === undefined) return this.notFound(ctx);
    if (kind === 'tree') {
      if (raw) return this.notFound(ctx);
      return this.json(
        ctx,
        repo.entries(commit, path).map((e) => ({
          name: e.name,
          path: e.path,
          sha: e.sha,
          type: e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : 'file',
          size: e.size ?? 0,
          encoding: null,
          content: null,
        })),
      );
    }
    if (kind === 'commit')
      return this.json(ctx, {
        name: path.split('/').at(-1),
        path,
        sha: commit.sha,
        type: 'submodule',
        size: 0,
        encoding: null,
        content: null,
      });
    const content = commit.files.get(path) ?? Buffer.alloc(0);
    if (raw) return send(ctx.res, 200, 'application/octet-stream', content);
    const inline = content.length <= this.fake.facts.inlineContentLimit;
    this.json(ctx, {
      name: path.split('/').at(-1),
      path,
      sha: blobSha(content),
      last_commit_sha: commit.sha,
      type: 'file',
      size: content.length,
      encoding: inline ? 'base64' : null,
      content: inline ? content.toString('base64') : null,
      url: `${this.fake.apiUrl}/repos/${repo.fullPath}/contents/${path}?ref=${ctx.query.ref ?? ''}`,
    });
  }

  project(ctx: RequestContext, repo: FakeRepo): void {
    this.json(ctx, this.repoJson(repo));
  }

  private paged<T>(ctx: RequestContext, all: readonly T[], toJson: (item: T) => unknown): void {
    const page = pageOf(all, ctx.query, PAGE);
    const link = linkHeader(ctx.url, page, this.fake.nextPageOrigin);
    this.json(ctx, page.items.map(toJson), 200, {
      'x-total-count': String(page.total),
      ...(link ? { link } : {}),
    });
  }

  private json(ctx: RequestContext, body: unknown, status = 200, headers: Params = {}): void {
    sendJson(ctx.res, status, body, headers);
  }

  private notFound(ctx: RequestContext): void {
    this.json(ctx, { errors: null, message: 'not found', url: this.fake.swaggerUrl() }, 404);
  }

  private orgJson(o: FakeNamespace): unknown {
    return {
      id: o.id,
      name: o.path,
      username: o.path,
      full_name: o.name === o.path ? '' : o.name,
      visibility: 'public',
    };
  }

  private repoJson(r: FakeRepo): unknown {
    const host = new URL(this.fake.webUrl).host;
    return {
      id: r.id,
      owner: { id: r.owner.id, login: r.owner.path, username: r.owner.path },
      name: r.name,
      full_name: r.fullPath,
      private: r.isPrivate,
      empty: r.isEmpty,
      html_url: `${this.fake.webUrl}/${r.fullPath}`,
      clone_url: `${this.fake.webUrl}/${r.fullPath}.git`,
      ssh_url: `git@${host}:${r.fullPath}.git`,
      default_branch: r.defaultBranch,
    };
  }
}
