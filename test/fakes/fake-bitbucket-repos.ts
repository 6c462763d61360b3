import type { FakeBitbucket } from './fake-bitbucket';
import { send, sendJson } from './http';
import { pageOf, pageUrl } from './paging';
import type { FakeCommit, FakeNamespace, FakeRepo, TreeEntry } from './repositories';
import { stableUuid } from './tokens';
import { authenticated, decodeSegment } from './repo-api';
import type { ApiCaller, RepoEndpoint, RequestContext, Route } from './types';
import { BitbucketWrites } from './fake-bitbucket-writes';

const PAGE = { param: 'pagelen', fallback: 10, max: 100 };

/**
 * Bitbucket Cloud's repository API (2.0): `/user/workspaces` (`/workspaces` is gone), repositories of a
 * workspace, refs, commits of a revision, `commit/{rev}` and `src/{hash}/{path}` — a directory listing
 * (recursive with `max_depth`), the raw bytes of a file, or with `format=meta` what the path is. Paged in the
 * body: `pagelen` ≤ 100, `values`, `next`. Commit messages end in a newline; times are `+00:00`.
 */
export class BitbucketRepoApi {
  private readonly writes: BitbucketWrites;

  constructor(private readonly fake: FakeBitbucket) {
    this.writes = new BitbucketWrites(fake.repositories, (r, who) => this.repoJson(r, who));
  }

  route(method: string, path: string): Route | undefined {
    if (!path.startsWith('/2.0/')) return undefined;
    const rest = path.slice('/2.0'.length);
    const on = authenticated((c) => this.fake.authenticateApi(c));
    if (method !== 'GET') return this.writeRoute(method, rest, on);
    if (rest === '/user/workspaces') return on('namespaces', (c, who) => this.workspaces(c, who));
    if (rest === '/workspaces')
      return on('namespaces', (c) =>
        sendJson(c.res, 410, {
          type: 'error',
          error: { message: 'This API is no longer supported. See CHANGE-2770.' },
        }),
      );
    const listed = /^\/repositories\/([^/]+)\/?$/.exec(rest);
    if (listed)
      return on('projects', (c, who) => this.repositories(c, who, decodeSegment(listed[1])));
    const repo = /^\/repositories\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(rest);
    if (!repo) return undefined;
    const [, workspace, slug, sub] = repo;
    const within = (
      endpoint: RepoEndpoint,
      handle: (c: RequestContext, r: FakeRepo, who: ApiCaller) => void,
    ) =>
      on(endpoint, (c, who) => {
        const found = this.fake.repositories.repo(decodeSegment(workspace), decodeSegment(slug));
        if (found && this.fake.repositories.canSee(who.user.username, found)) handle(c, found, who);
        else
          this.notFound(
            c,
            `Repository ${decodeSegment(workspace)}/${decodeSegment(slug)} not found`,
          );
      });
    if (sub === undefined || sub === '')
      return within('project', (c, r, who) => sendJson(c.res, 200, this.repoJson(r, who)));
    const branch = /^refs\/branches\/(.+)$/.exec(sub);
    if (branch)
      return within('branches', (c, r) => this.writes.branch(c, r, decodeSegment(branch[1])));
    if (sub === 'hooks')
      return within('hooks', (c, r, who) => {
        if (r.owner.members.has(who.user.username)) this.writes.listHooks(c, r);
        else this.forbidden(c);
      });
    const refs = /^refs\/(branches|tags)$/.exec(sub);
    if (refs)
      return within(refs[1] as 'branches' | 'tags', (c, r) =>
        this.refs(c, r, refs[1] === 'branches' ? r.branches : r.tags),
      );
    const commits = /^commits\/(.+)$/.exec(sub);
    if (commits) return within('commits', (c, r) => this.commits(c, r, decodeSegment(commits[1])));
    const commit = /^commit\/(.+)$/.exec(sub);
    if (commit) return within('commits', (c, r) => this.commit(c, r, decodeSegment(commit[1])));
    const src = /^src\/([^/]+)\/(.*)$/.exec(sub);
    if (src)
      return within(ctxIsTree(src[2]) ? 'trees' : 'contents', (c, r) =>
        this.src(c, r, decodeSegment(src[1]), decodeSegment(src[2]).replace(/\/+$/, '')),
      );
    return undefined;
  }

  /** Writes need the workspace's membership (admin rights here); Bitbucket answers 403 to other readers. */
  private writeRoute(
    method: string,
    rest: string,
    on: ReturnType<typeof authenticated>,
  ): Route | undefined {
    const repo = /^\/repositories\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(rest);
    if (!repo) return undefined;
    const [, workspace, slug, sub] = repo;
    if (method === 'POST' && (sub === undefined || sub === ''))
      return on('projects', (c, who) =>
        this.writes.createRepo(c, who, decodeSegment(workspace), decodeSegment(slug)),
      );
    const within = (endpoint: RepoEndpoint, handle: (c: RequestContext, r: FakeRepo) => void) =>
      on(endpoint, (c, who) => {
        const found = this.fake.repositories.repo(decodeSegment(workspace), decodeSegment(slug));
        if (!found || !this.fake.repositories.canSee(who.user.username, found))
          return this.notFound(
            c,
            `Repository ${decodeSegment(workspace)}/${decodeSegment(slug)} not found`,
          );
        if (!found.owner.members.has(who.user.username)) return this.forbidden(c);
        handle(c, found);
      });
    if (method === 'POST' && sub === 'refs/tags')
      return within('tags', (c, r) => this.writes.createTag(c, r));
    const tag = /^refs\/tags\/(.+)$/.exec(sub ?? '');
    if (method === 'DELETE' && tag)
      return within('tags', (c, r) => this.writes.deleteTag(c, r, decodeSegment(tag[1])));
    if (method === 'POST' && sub === 'hooks')
      return within('hooks', (c, r) => this.writes.createHook(c, r));
    const hook = /^hooks\/([^/]+)$/.exec(sub ?? '');
    if (method === 'DELETE' && hook)
      return within('hooks', (c, r) => this.writes.deleteHook(c, r, decodeSegment(hook[1])));
    if (method === 'POST' && sub === 'src')
      return within('contents', (c, r) => {
        this.writes
          .commit(c, r)
          .catch((error: unknown) =>
            sendJson(c.res, 500, { type: 'error', error: { message: String(error) } }),
          );
      });
    return undefined;
  }

  private forbidden(ctx: RequestContext): void {
    sendJson(ctx.res, 403, {
      type: 'error',
      error: { message: 'You do not have admin access to this repository' },
    });
  }

  /** The workspaces the user has access to: their personal one (slug = their username) and the teams'. */
  private workspaces(ctx: RequestContext, caller: ApiCaller): void {
    const workspaces = this.fake.repositories.namespacesOf(caller.user.username);
    this.paged(ctx, workspaces, (w) => ({
      type: 'workspace_access',
      administrator: w.kind === 'user',
      workspace: this.workspaceJson(w),
    }));
  }

  /** `role=member`: the workspace's repositories the user can read. */
  private repositories(ctx: RequestContext, caller: ApiCaller, workspace: string): void {
    if (!this.fake.repositories.namespace(workspace))
      return this.notFound(ctx, `No workspace with identifier '${workspace}'.`);
    const repos = this.fake.repositories
      .reposOf(workspace)
      .filter((r) => this.fake.repositories.canSee(caller.user.username, r));
    this.paged(ctx, repos, (r) => this.repoJson(r, caller));
  }

  private refs(ctx: RequestContext, repo: FakeRepo, refs: Map<string, string>): void {
    const sorted = [...refs].sort(([a], [b]) => a.localeCompare(b));
    this.paged(ctx, sorted, ([name, sha]) => ({
      name,
      type: refs === repo.branches ? 'branch' : 'tag',
      target: this.commitJson(repo, repo.commits.get(sha)),
    }));
  }

  private commits(ctx: RequestContext, repo: FakeRepo, revision: string): void {
    if (!repo.resolve(revision)) return this.notFound(ctx, `Commit not found: ${revision}`);
    this.paged(ctx, repo.history(revision), (c) => this.commitJson(repo, c));
  }

  private commit(ctx: RequestContext, repo: FakeRepo, revision: string): void {
    const found = repo.resolve(revision);
    if (!found) return this.notFound(ctx, `Commit not found: ${revision}`);
    sendJson(ctx.res, 200, this.commitJson(repo, found));
  }

  /** What `src/{hash}/{path}` serves: a listing, meta, or the file's bytes. */
  private src(ctx: RequestContext, repo: FakeRepo, hash: string, path: string): void {
    const commit = repo.resolve(hash);
    const kind =
      commit === undefined ? undefined : path === '' ? 'tree' : repo.kindAt(commit, path);
    if (!commit || kind === undefined)
      return this.notFound(ctx, 'No such file or directory: ' + path);
    const meta = ctx.query.format === 'meta';
    if (kind === 'blob') {
      const content = commit.files.get(path) ?? Buffer.alloc(0);
      if (meta)
        return sendJson(
          ctx.res,
          200,
          this.entryJson(commit, { path, name: path, type: 'blob', sha: '', size: content.length }),
        );
      return send(ctx.res, 200, mimeType(path), content);
    }
    if (meta)
      return sendJson(
        ctx.res,
        200,
        this.entryJson(commit, { path, name: path, type: 'tree', sha: '' }),
      );
    const depth = Math.max(1, Number(ctx.query.max_depth) || 1);
    const base = path === '' ? 0 : path.split('/').length;
    const entries = repo.walk(commit, path).filter((e) => e.path.split('/').length - base <= depth);
    this.paged(ctx, entries, (e) => this.entryJson(commit, e));
  }

  private paged<T>(ctx: RequestContext, all: readonly T[], toJson: (item: T) => unknown): void {
    const page = pageOf(all, ctx.query, PAGE);
    sendJson(ctx.res, 200, {
      pagelen: page.perPage,
      size: page.total,
      page: page.page,
      values: page.items.map(toJson),
      ...(page.hasNext ? { next: pageUrl(ctx.url, page.page + 1, this.fake.nextPageOrigin) } : {}),
    });
  }

  private notFound(ctx: RequestContext, message: string): void {
    sendJson(ctx.res, 404, { type: 'error', error: { message } });
  }

  private workspaceJson(w: FakeNamespace): unknown {
    return { type: 'workspace_base', uuid: `{${stableUuid(w.path)}}`, slug: w.path, name: w.name };
  }

  private repoJson(r: FakeRepo, caller: ApiCaller): unknown {
    const web = new URL(this.fake.webUrl);
    return {
      type: 'repository',
      uuid: `{${stableUuid(r.fullPath)}}`,
      full_name: r.fullPath,
      name: r.displayName,
      slug: r.name,
      is_private: r.isPrivate,
      mainbranch: r.isEmpty ? null : { name: r.defaultBranch, type: 'branch' },
      workspace: this.workspaceJson(r.owner),
      links: {
        clone: [
          {
            name: 'https',
            href: `${web.protocol}//${caller.user.username}@${web.host}/${r.fullPath}.git`,
          },
          { name: 'ssh', href: `git@${web.hostname}:${r.fullPath}.git` },
        ],
        html: { href: `${this.fake.webUrl}/${r.fullPath}` },
      },
    };
  }

  private commitJson(repo: FakeRepo, c: FakeCommit | undefined): unknown {
    if (!c) return null;
    return {
      type: 'commit',
      hash: c.sha,
      date: c.authoredAt.replace(/Z$/, '+00:00'),
      // Bitbucket stores the message as git has it: with its final newline.
      message: `${c.message}\n`,
      author: { type: 'author', raw: 'Octo User <octo@example.com>' },
      parents: c.parents.map((hash) => ({ hash, type: 'commit' })),
      links: { html: { href: `${this.fake.webUrl}/${repo.fullPath}/commits/${c.sha}` } },
    };
  }

  private entryJson(
    commit: FakeCommit,
    e: Pick<TreeEntry, 'path' | 'type' | 'size'> & Partial<TreeEntry>,
  ): Record<string, unknown> {
    const type =
      e.type === 'tree' ? 'commit_directory' : e.type === 'commit' ? 'commit_link' : 'commit_file';
    return {
      path: e.path,
      type,
      commit: { type: 'commit', hash: commit.sha },
      ...(type === 'commit_file'
        ? { size: e.size ?? 0, mimetype: mimeType(e.path), attributes: [] }
        : {}),
      escaped_path: e.path,
    };
  }
}

/** A path ending in `/` (or empty) asks for a listing. */
function ctxIsTree(path: string): boolean {
  return path === '' || path.endsWith('/');
}

function mimeType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (/\.(md|txt|java|yml|yaml)$/.test(path)) return 'text/plain';
  return 'application/octet-stream';
}
