import type { FakeGitLab } from './fake-gitlab';
import { sendJson, type Params } from './http';
import { linkHeader, pageOf, pageUrl, type Page } from './paging';
import type { FakeCommit, FakeNamespace, FakeRepo, TreeEntry } from './repositories';
import { blobSha, inOffset } from './repositories';
import { authenticated, decodeSegment, gitMode } from './repo-api';
import type { ApiCaller, RepoEndpoint, RequestContext, Route } from './types';
import { createHash } from 'node:crypto';
import { GitLabWrites } from './fake-gitlab-writes';

const PAGE = { param: 'per_page', fallback: 20, max: 100 };
/** Reading through the REST API needs `api` or `read_api`; the files API also takes `read_repository`. */
const READ_API = ['api', 'read_api'];
const READ_FILES = ['api', 'read_api', 'read_repository'];
const WRITE_API = ['api'];

/**
 * GitLab's repository REST API (under /api/v4): namespaces (the whole instance for an administrator), groups,
 * projects by numeric id or URL-encoded full path, branches, tags, commits, trees (offset or keyset paging) and
 * files (a directory is a 404 there), paged with `per_page` ≤ 100 and `X-Next-Page`, `X-Total`… and `Link`.
 */
export class GitLabRepoApi {
  private readonly writes: GitLabWrites;

  constructor(private readonly fake: FakeGitLab) {
    this.writes = new GitLabWrites(fake.repositories, {
      projectJson: (repo) => this.projectJson(repo),
      namespaceById: (id) => this.namespaceById(id),
    });
  }

  route(method: string, path: string): Route | undefined {
    if (!path.startsWith('/api/v4/')) return undefined;
    const rest = path.slice('/api/v4'.length);
    const on = (
      endpoint: RepoEndpoint,
      handle: (c: RequestContext, caller: ApiCaller) => void,
      scopes = READ_API,
    ) => authenticated((c) => this.fake.authenticateApi(c, scopes))(endpoint, handle);
    if (method !== 'GET') return this.writeRoute(method, rest, on);
    if (rest === '/namespaces') return on('namespaces', (c, who) => this.namespaces(c, who));
    if (rest === '/groups') return on('namespaces', (c, who) => this.groups(c, who));
    const namespace = /^\/namespaces\/([^/]+)$/.exec(rest);
    if (namespace)
      return on('namespaces', (c, who) => this.namespace(c, who, decodeSegment(namespace[1])));
    const owned = /^\/(groups|users)\/([^/]+)\/projects$/.exec(rest);
    if (owned)
      return on('projects', (c, who) =>
        this.ownedProjects(c, who, owned[1] === 'groups', decodeSegment(owned[2])),
      );
    const project = /^\/projects\/([^/]+)(?:\/(.*))?$/.exec(rest);
    if (!project) return undefined;
    const [, id, sub = ''] = project;
    const within = (
      endpoint: RepoEndpoint,
      handle: (c: RequestContext, r: FakeRepo) => void,
      scopes = READ_API,
    ) =>
      on(
        endpoint,
        (c, who) => {
          const repo = this.visibleProject(who, decodeSegment(id));
          if (repo) handle(c, repo);
          else this.notFound(c, 'Project');
        },
        scopes,
      );
    if (sub === '') return within('project', (c, r) => this.json(c, this.projectJson(r)));
    if (sub === 'repository/branches')
      return within('branches', (c, r) => this.refs(c, r, r.branches));
    if (sub === 'repository/tags') return within('tags', (c, r) => this.refs(c, r, r.tags));
    if (sub === 'repository/commits') return within('commits', (c, r) => this.commits(c, r));
    if (sub === 'repository/tree') return within('trees', (c, r) => this.tree(c, r));
    const file = /^repository\/files\/([^/]+)$/.exec(sub);
    if (file)
      return within('contents', (c, r) => this.file(c, r, decodeSegment(file[1])), READ_FILES);
    if (sub === 'hooks')
      return on('hooks', (c, who) => {
        const repo = this.visibleProject(who, decodeSegment(id));
        if (!repo) return this.notFound(c, 'Project');
        if (!repo.owner.members.has(who.user.username)) return this.forbidden(c);
        this.writes.listHooks(c, repo);
      });
    return undefined;
  }

  /** Writes need scope `api` and (here) membership of the project's namespace: Maintainer. */
  private writeRoute(
    method: string,
    rest: string,
    on: (
      endpoint: RepoEndpoint,
      handle: (c: RequestContext, caller: ApiCaller) => void,
      scopes?: string[],
    ) => Route,
  ): Route | undefined {
    if (method === 'POST' && rest === '/projects')
      return on('projects', (c, who) => this.writes.createProject(c, who), WRITE_API);
    const project = /^\/projects\/([^/]+)\/(.+)$/.exec(rest);
    if (!project) return undefined;
    const [, id, sub] = project;
    const within = (endpoint: RepoEndpoint, handle: (c: RequestContext, r: FakeRepo) => void) =>
      on(
        endpoint,
        (c, who) => {
          const repo = this.visibleProject(who, decodeSegment(id));
          if (!repo) return this.notFound(c, 'Project');
          if (!repo.owner.members.has(who.user.username)) return this.forbidden(c);
          handle(c, repo);
        },
        WRITE_API,
      );
    if (method === 'POST' && sub === 'repository/tags')
      return within('tags', (c, r) => this.writes.createTag(c, r));
    const tag = /^repository\/tags\/([^/]+)$/.exec(sub);
    if (method === 'DELETE' && tag)
      return within('tags', (c, r) => this.writes.deleteTag(c, r, decodeSegment(tag[1])));
    if (method === 'POST' && sub === 'hooks')
      return within('hooks', (c, r) => this.writes.createHook(c, r));
    const hook = /^hooks\/([^/]+)$/.exec(sub);
    if (method === 'DELETE' && hook)
      return within('hooks', (c, r) => this.writes.deleteHook(c, r, decodeSegment(hook[1])));
    const file = /^repository\/files\/([^/]+)$/.exec(sub);
    if (file && ['POST', 'PUT', 'DELETE'].includes(method))
      return within('contents', (c, r) =>
        this.writes.writeFile(c, r, decodeSegment(file[1]), method),
      );
    return undefined;
  }

  /** A project the caller sees but does not maintain: GitLab's 403. */
  private forbidden(ctx: RequestContext): void {
    this.json(ctx, { message: '403 Forbidden' }, 403);
  }

  // ---- namespaces and projects ---------------------------------------------------------------------------

  private namespaces(ctx: RequestContext, caller: ApiCaller): void {
    const all = this.fake.isAdmin(caller.user.username)
      ? this.fake.repositories.allNamespaces()
      : this.fake.repositories.namespacesOf(caller.user.username);
    this.paged(ctx, all, (n) => this.namespaceJson(n));
  }

  /** `min_access_level`: groups the user is a member of (any level here). */
  private groups(ctx: RequestContext, caller: ApiCaller): void {
    const groups = this.fake.repositories.orgsOf(caller.user.username);
    this.paged(ctx, groups, (g) => ({
      id: g.id,
      name: g.name,
      path: last(g.path),
      full_path: g.path,
    }));
  }

  private namespace(ctx: RequestContext, caller: ApiCaller, id: string): void {
    const found = this.namespaceById(id);
    if (
      !found ||
      (!found.members.has(caller.user.username) && !this.fake.isAdmin(caller.user.username))
    )
      return this.notFound(ctx, 'Namespace');
    this.json(ctx, this.namespaceJson(found));
  }

  private ownedProjects(ctx: RequestContext, caller: ApiCaller, group: boolean, id: string): void {
    const owner = this.namespaceById(id);
    if (!owner || (group ? owner.kind !== 'org' : owner.kind !== 'user'))
      return this.notFound(ctx, group ? 'Group' : 'User');
    const projects = this.fake.repositories
      .reposOf(owner.path)
      .filter((r) => this.fake.repositories.canSee(caller.user.username, r));
    this.paged(ctx, projects, (r) => this.projectJson(r));
  }

  // ---- one project ---------------------------------------------------------------------------------------

  private refs(ctx: RequestContext, repo: FakeRepo, refs: Map<string, string>): void {
    const sorted = [...refs].sort(([a], [b]) => a.localeCompare(b));
    this.paged(ctx, sorted, ([name, sha]) => ({
      name,
      commit: this.commitJson(repo.commits.get(sha)),
      merged: false,
      protected: name === repo.defaultBranch,
      default: name === repo.defaultBranch,
    }));
  }

  private commits(ctx: RequestContext, repo: FakeRepo): void {
    if (repo.isEmpty) return this.paged(ctx, [], () => ({}));
    const ref = ctx.query.ref_name;
    if (!repo.resolve(ref)) return this.notFound(ctx, 'Commit');
    this.paged(ctx, repo.history(ref), (c) => this.commitJson(c));
  }

  /** `path` (a directory), `recursive`; `pagination=keyset` pages by `page_token` in `Link` only. */
  private tree(ctx: RequestContext, repo: FakeRepo): void {
    const commit = repo.resolve(ctx.query.ref);
    const dir = (ctx.query.path ?? '').replace(/^\/+|\/+$/g, '');
    if (!commit || (dir !== '' && repo.kindAt(commit, dir) !== 'tree'))
      return this.notFound(ctx, 'Tree');
    const recursive = ctx.query.recursive === 'true';
    const entries = recursive ? repo.walk(commit, dir) : repo.entries(commit, dir);
    if (ctx.query.pagination !== 'keyset')
      return this.paged(ctx, entries, (e) => this.entryJson(e));
    const size = Math.min(Number(ctx.query.per_page) || PAGE.fallback, PAGE.max);
    const after = ctx.query.page_token;
    const start = after === undefined ? 0 : entries.findIndex((e) => e.path === after) + 1;
    const items = entries.slice(start, start + size);
    const headers: Params = {};
    if (start + size < entries.length) {
      const next = new URL(pageUrl(ctx.url, 1, this.fake.nextPageOrigin));
      next.searchParams.delete('page');
      next.searchParams.set('page_token', items[items.length - 1].path);
      headers.link = `<${next.href}>; rel="next"`;
    }
    this.json(
      ctx,
      items.map((e) => this.entryJson(e)),
      200,
      headers,
    );
  }

  /** A file; anything else (a directory included) is 404 "File Not Found". */
  private file(ctx: RequestContext, repo: FakeRepo, path: string): void {
    const commit = repo.resolve(ctx.query.ref);
    const content = commit?.files.get(path);
    if (!commit || content === undefined) return this.notFound(ctx, 'File');
    this.json(ctx, {
      file_name: last(path),
      file_path: path,
      size: content.length,
      encoding: 'base64',
      content_sha256: createHash('sha256').update(content).digest('hex'),
      ref: ctx.query.ref,
      blob_id: blobSha(content),
      commit_id: commit.sha,
      last_commit_id: commit.sha,
      execute_filemode: false,
      content: content.toString('base64'),
    });
  }

  // ---- answers -------------------------------------------------------------------------------------------

  private namespaceById(id: string): FakeNamespace | undefined {
    return /^\d+$/.test(id)
      ? this.fake.repositories.allNamespaces().find((n) => String(n.id) === id)
      : this.fake.repositories.namespace(id);
  }

  private visibleProject(caller: ApiCaller, id: string): FakeRepo | undefined {
    const slash = id.lastIndexOf('/');
    const repo = /^\d+$/.test(id)
      ? this.fake.repositories.repoById(Number(id))
      : this.fake.repositories.repo(id.slice(0, slash), id.slice(slash + 1));
    return repo && this.fake.repositories.canSee(caller.user.username, repo) ? repo : undefined;
  }

  private paged<T>(ctx: RequestContext, all: readonly T[], toJson: (item: T) => unknown): void {
    const page = pageOf(all, ctx.query, PAGE);
    this.json(ctx, page.items.map(toJson), 200, this.pageHeaders(ctx.url, page));
  }

  private pageHeaders(url: URL, page: Page<unknown>): Params {
    const link = linkHeader(url, page, this.fake.nextPageOrigin);
    return {
      'x-page': String(page.page),
      'x-per-page': String(page.perPage),
      'x-next-page': page.hasNext ? String(page.page + 1) : '',
      'x-prev-page': page.page > 1 ? String(page.page - 1) : '',
      'x-total': String(page.total),
      'x-total-pages': String(page.lastPage),
      ...(link ? { link } : {}),
    };
  }

  private json(ctx: RequestContext, body: unknown, status = 200, headers: Params = {}): void {
    sendJson(ctx.res, status, body, headers);
  }

  private notFound(ctx: RequestContext, what: string): void {
    this.json(ctx, { message: `404 ${what} Not Found` }, 404);
  }

  private namespaceJson(n: FakeNamespace): unknown {
    const parent = n.path.includes('/')
      ? this.fake.repositories.namespace(n.path.slice(0, n.path.lastIndexOf('/')))
      : undefined;
    return {
      id: n.id,
      name: n.name,
      path: last(n.path),
      kind: n.kind === 'org' ? 'group' : 'user',
      full_path: n.path,
      parent_id: parent?.id ?? null,
      avatar_url: null,
      web_url: `${this.fake.webUrl}/${n.kind === 'org' ? 'groups/' : ''}${n.path}`,
    };
  }

  private projectJson(r: FakeRepo): unknown {
    const host = new URL(this.fake.webUrl).host;
    return {
      id: r.id,
      name: r.displayName,
      path: r.name,
      path_with_namespace: r.fullPath,
      name_with_namespace: `${r.owner.name} / ${r.displayName}`,
      namespace: {
        id: r.owner.id,
        name: r.owner.name,
        path: last(r.owner.path),
        kind: r.owner.kind === 'org' ? 'group' : 'user',
        full_path: r.owner.path,
      },
      default_branch: r.isEmpty ? null : r.defaultBranch,
      visibility: r.isPrivate ? 'private' : 'public',
      http_url_to_repo: `${this.fake.webUrl}/${r.fullPath}.git`,
      ssh_url_to_repo: `git@${host}:${r.fullPath}.git`,
      web_url: `${this.fake.webUrl}/${r.fullPath}`,
      empty_repo: r.isEmpty,
    };
  }

  private commitJson(c: FakeCommit | undefined): unknown {
    if (!c) return null;
    return {
      id: c.sha,
      short_id: c.sha.slice(0, 8),
      title: c.message.split('\n')[0],
      message: c.message,
      author_name: 'Octo User',
      author_email: 'octo@example.com',
      // GitLab shows times in the instance's zone, with milliseconds.
      authored_date: inOffset(c.authoredAt, 120, '.000'),
      committed_date: inOffset(c.authoredAt, 120, '.000'),
      parent_ids: c.parents,
      web_url: `${this.fake.webUrl}/-/commit/${c.sha}`,
    };
  }

  private entryJson(e: TreeEntry): unknown {
    return {
      id: e.sha,
      name: e.name,
      type: e.type,
      path: e.path,
      mode: gitMode(e),
    };
  }
}

function last(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
