import type { FakeGitHub } from './fake-github';
import { header, send, sendJson, type Params } from './http';
import { linkHeader, pageOf } from './paging';
import type { FakeNamespace, FakeRepo } from './repositories';
import { blobSha } from './repositories';
import {
  authenticated,
  githubStyleCommit,
  githubStyleRepoRoute,
  type GitHubStyleRepoHandlers,
  refJson,
  treeJson,
  decodeSegment,
  repoRoute,
} from './repo-api';
import type { ApiCaller, RepoEndpoint, RequestContext, Route } from './types';
import { type GitHubStyleDialect, GitHubStyleWrites } from './github-style-writes';

const DOCS = 'https://docs.github.com/rest';
const PAGE = { param: 'per_page', fallback: 30, max: 100 };
const RAW_TYPES = ['application/vnd.github.raw', 'application/vnd.github.raw+json'];

/**
 * GitHub's repository REST API (GHES layout, under /api/v3): organizations, repositories, branches, tags,
 * commits, git trees and contents, with GitHub's paging (`per_page` ≤ 100, `Link`), its visibility rules (a
 * private repository needs the `repo` scope and is a 404 to anyone else), `/user/orgs` needing `read:org` or
 * `user`, 409 on an empty repository, truncated recursive trees, and contents over 1 MB only as raw.
 */
export class GitHubRepoApi implements GitHubStyleRepoHandlers {
  private readonly writes: GitHubStyleWrites;

  constructor(private readonly fake: FakeGitHub) {
    this.writes = new GitHubStyleWrites(this.dialect());
  }

  route(method: string, path: string): Route | undefined {
    if (!path.startsWith('/api/v3/')) return undefined;
    const rest = path.slice('/api/v3'.length);
    const on = authenticated((c) => this.fake.authenticateApi(c));
    if (method !== 'GET' || /^\/repos\/[^/]+\/[^/]+\/hooks$/.test(rest))
      return this.writeRoute(method, rest, on);
    if (rest === '/user/orgs') return on('namespaces', (c, who) => this.userOrgs(c, who));
    if (rest === '/user/repos') return on('projects', (c, who) => this.userRepos(c, who));
    const owned = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(rest);
    if (owned)
      return on('projects', (c, who) => this.ownerRepos(c, who, owned[1] === 'orgs', owned[2]));
    const repo = repoRoute(rest);
    if (!repo) return undefined;
    const { owner, name, sub } = repo;
    const within = (endpoint: RepoEndpoint, handle: (c: RequestContext, r: FakeRepo) => void) =>
      on(endpoint, (c, who) => {
        const found = this.visibleRepo(who, owner, name);
        if (found) handle(c, found);
        else this.notFound(c);
      });
    return this.writes.route(method, sub, within) ?? githubStyleRepoRoute(sub, within, this);
  }

  /**
   * Writes need push rights (owner's member or collaborator), hooks admin rights (the owner's members here);
   * GitHub answers 404 to anyone else, as it hides what a token may not administer.
   */
  private writeRoute(
    method: string,
    rest: string,
    on: ReturnType<typeof authenticated>,
  ): Route | undefined {
    if (method === 'POST' && rest === '/user/repos')
      return on('projects', (c, who) => this.writes.createRepo(c, who, undefined, true));
    const org = /^\/orgs\/([^/]+)\/repos$/.exec(rest);
    if (method === 'POST' && org)
      return on('projects', (c, who) => {
        const ns = this.fake.repositories.namespace(decodeSegment(org[1]));
        const member = ns?.kind === 'org' && ns.members.has(who.user.username);
        this.writes.createRepo(c, who, ns?.path, member);
      });
    const repo = repoRoute(rest);
    if (!repo) return undefined;
    const within = (endpoint: RepoEndpoint, handle: (c: RequestContext, r: FakeRepo) => void) =>
      on(endpoint, (c, who) => {
        const found = this.visibleRepo(who, repo.owner, repo.name);
        const admin = endpoint === 'hooks' && found?.owner.members.has(who.user.username);
        const push =
          found?.owner.members.has(who.user.username) ||
          found?.collaborators.has(who.user.username);
        if (found && (endpoint === 'hooks' ? admin : push)) handle(c, found);
        else this.notFound(c);
      });
    return this.writes.route(method, repo.sub, within);
  }

  private dialect(): GitHubStyleDialect {
    const validation = (message: string) => ({
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ code: 'custom', message }],
        documentation_url: DOCS,
      },
    });
    return {
      json: (ctx, body, status = 200) => this.json(ctx, body, status),
      notFound: (ctx) => this.notFound(ctx),
      repoJson: (repo) => this.repoJson(repo),
      repositories: this.fake.repositories,
      repoExists: {
        status: 422,
        body: {
          message: 'Repository creation failed.',
          errors: [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ],
          documentation_url: DOCS,
        },
      },
      createFileMethod: 'PUT',
      deleteParams: 'body',
      fileExists: () => ({
        status: 422,
        body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.', documentation_url: DOCS },
      }),
      staleSha: (path, given) => ({
        status: 409,
        body: { message: `${path} does not match ${given}`, documentation_url: DOCS },
      }),
      parseHook: (body) => {
        const config = (body.config ?? {}) as Record<string, unknown>;
        if (body.name !== 'web' || typeof config.url !== 'string' || !Array.isArray(body.events))
          return validation('config.url and events are required');
        return {
          url: config.url,
          secret: typeof config.secret === 'string' ? config.secret : '',
          events: body.events as string[],
          settings: {
            active: body.active,
            content_type: config.content_type,
            insecure_ssl: config.insecure_ssl,
          },
        };
      },
      // GitHub shows a hook's secret as asterisks.
      hookJson: (repo, hook) => ({
        type: 'Repository',
        id: Number(hook.id),
        name: 'web',
        active: hook.settings.active,
        events: hook.events,
        config: {
          url: hook.url,
          content_type: hook.settings.content_type,
          insecure_ssl: hook.settings.insecure_ssl,
          ...(hook.secret ? { secret: '********' } : {}),
        },
        url: `${this.fake.apiUrl}/repos/${repo.fullPath}/hooks/${hook.id}`,
      }),
      duplicateHook: validation('Hook already exists on this repository'),
      tags: 'git-database',
      tagExists: {
        status: 422,
        body: { message: 'Reference already exists', documentation_url: DOCS },
      },
    };
  }

  // ---- namespaces and repositories -----------------------------------------------------------------------

  private userOrgs(ctx: RequestContext, caller: ApiCaller): void {
    if (!caller.scopes.some((s) => ['read:org', 'user', 'admin:org', 'write:org'].includes(s)))
      return this.json(
        ctx,
        {
          message: 'You need at least read:org scope or user scope to list your organizations.',
          documentation_url: `${DOCS}/orgs/orgs#list-organizations-for-the-authenticated-user`,
          status: '403',
        },
        403,
      );
    const orgs = this.fake.repositories.orgsOf(caller.user.username);
    this.paged(ctx, orgs, (o) => this.orgJson(o));
  }

  /** `affiliation`: owner, collaborator, organization_member (all three by default). */
  private userRepos(ctx: RequestContext, caller: ApiCaller): void {
    const me = caller.user.username;
    const affiliation = (ctx.query.affiliation ?? 'owner,collaborator,organization_member').split(
      ',',
    );
    const repos = this.fake.repositories
      .visibleTo(me)
      .filter(
        (r) =>
          (affiliation.includes('owner') && r.owner.path === me) ||
          (affiliation.includes('collaborator') && r.collaborators.has(me)) ||
          (affiliation.includes('organization_member') &&
            r.owner.kind === 'org' &&
            r.owner.members.has(me)),
      )
      .filter((r) => this.scopeAllows(caller, r));
    this.paged(ctx, repos, (r) => this.repoJson(r));
  }

  /** `/orgs/{org}/repos` (what the user may see of an organization), `/users/{user}/repos` (public only). */
  private ownerRepos(ctx: RequestContext, caller: ApiCaller, org: boolean, owner: string): void {
    const namespace = this.fake.repositories.namespace(decodeSegment(owner));
    if (!namespace || (org && namespace.kind !== 'org')) return this.notFound(ctx);
    const repos = this.fake.repositories
      .reposOf(namespace.path)
      .filter((r) => (org ? this.visible(caller, r) : !r.isPrivate));
    this.paged(ctx, repos, (r) => this.repoJson(r));
  }

  // ---- one repository ----------------------------------------------------------------------------------

  refs(ctx: RequestContext, repo: FakeRepo, refs: Map<string, string>): void {
    const sorted = [...refs].sort(([a], [b]) => a.localeCompare(b));
    this.paged(ctx, sorted, ([name, sha]) => refJson(this.fake.apiUrl, repo, name, sha));
  }

  commits(ctx: RequestContext, repo: FakeRepo): void {
    if (repo.isEmpty)
      return this.json(
        ctx,
        { message: 'Git Repository is empty.', documentation_url: DOCS, status: '409' },
        409,
      );
    const ref = ctx.query.sha;
    if (!repo.resolve(ref))
      return this.json(
        ctx,
        { message: `No commit found for SHA: ${ref}`, documentation_url: DOCS, status: '404' },
        404,
      );
    this.paged(ctx, repo.history(ref), (c) => githubStyleCommit(this.fake.webUrl, repo, c, 0));
  }

  /** A ref, a commit or a tree SHA; `recursive` lists every level, truncated past `treeEntryLimit`. */
  tree(ctx: RequestContext, repo: FakeRepo, ref: string): void {
    if (repo.isEmpty)
      return this.json(
        ctx,
        { message: 'Git Repository is empty.', documentation_url: DOCS, status: '409' },
        409,
      );
    const commit = repo.resolve(ref);
    const at = commit ? { commit, dir: '' } : repo.treeAt(ref);
    if (!at) return this.notFound(ctx);
    const recursive = ctx.query.recursive !== undefined && ctx.query.recursive !== '0';
    const entries = recursive ? repo.walk(at.commit, at.dir) : repo.entries(at.commit, at.dir);
    // Only a recursive answer reaches the limit in practice (a single directory of 100,000 entries is rare).
    const truncated = recursive && entries.length > this.fake.treeEntryLimit;
    this.json(ctx, {
      ...treeJson(
        this.fake.apiUrl,
        repo,
        at,
        truncated ? entries.slice(0, this.fake.treeEntryLimit) : entries,
      ),
      truncated,
    });
  }

  /**
   * A file (inline up to 1 MB; beyond, only with a raw media type), a directory (an array), a submodule. GitHub
   * has no `…/raw/{path}` route.
   */
  contents(ctx: RequestContext, repo: FakeRepo, path: string, raw: boolean): void {
    if (raw) return this.notFound(ctx);
    if (repo.isEmpty)
      return this.json(
        ctx,
        { message: 'This repository is empty.', documentation_url: DOCS, status: '404' },
        404,
      );
    const commit = repo.resolve(ctx.query.ref);
    if (!commit)
      return this.json(
        ctx,
        {
          message: `No commit found for the ref ${ctx.query.ref}`,
          documentation_url: DOCS,
          status: '404',
        },
        404,
      );
    const dir = path.replace(/\/+$/, '');
    const kind = dir === '' ? 'tree' : repo.kindAt(commit, dir);
    if (kind === undefined) return this.notFound(ctx);
    if (kind === 'tree')
      return this.json(
        ctx,
        repo.entries(commit, dir).map((e) => ({
          name: e.name,
          path: e.path,
          sha: e.sha,
          size: e.size ?? 0,
          type: e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : 'file',
        })),
      );
    if (kind === 'commit')
      return this.json(ctx, {
        type: 'submodule',
        name: dir.split('/').at(-1),
        path: dir,
        sha: commit.sha,
        size: 0,
      });
    const content = commit.files.get(dir) ?? Buffer.alloc(0);
    if (RAW_TYPES.some((t) => (header(ctx.req, 'accept') ?? '').includes(t)))
      return send(ctx.res, 200, 'application/vnd.github.raw', content, this.fake.rateHeaders());
    const inline = content.length <= this.fake.facts.inlineContentLimit;
    this.json(ctx, {
      type: 'file',
      encoding: inline ? 'base64' : 'none',
      size: content.length,
      name: dir.split('/').at(-1),
      path: dir,
      // GitHub breaks the base64 every 60 characters.
      content: inline ? (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n' : '',
      sha: blobSha(content),
      url: `${this.fake.apiUrl}/repos/${repo.fullPath}/contents/${dir}`,
    });
  }

  project(ctx: RequestContext, repo: FakeRepo): void {
    this.json(ctx, this.repoJson(repo));
  }

  // ---- answers -------------------------------------------------------------------------------------------

  private visible(caller: ApiCaller, repo: FakeRepo): boolean {
    return (
      this.fake.repositories.canSee(caller.user.username, repo) && this.scopeAllows(caller, repo)
    );
  }

  /** A classic token without `repo` sees public repositories only. */
  private scopeAllows(caller: ApiCaller, repo: FakeRepo): boolean {
    return !repo.isPrivate || caller.scopes.includes('repo');
  }

  private visibleRepo(caller: ApiCaller, owner: string, name: string): FakeRepo | undefined {
    const repo = this.fake.repositories.repo(owner, name);
    return repo && this.visible(caller, repo) ? repo : undefined;
  }

  private paged<T>(ctx: RequestContext, all: readonly T[], toJson: (item: T) => unknown): void {
    const page = pageOf(all, ctx.query, PAGE);
    const link = linkHeader(ctx.url, page, this.fake.nextPageOrigin);
    this.json(ctx, page.items.map(toJson), 200, link ? { link } : {});
  }

  private json(ctx: RequestContext, body: unknown, status = 200, headers: Params = {}): void {
    sendJson(ctx.res, status, body, { ...this.fake.rateHeaders(), ...headers });
  }

  private notFound(ctx: RequestContext): void {
    this.json(ctx, { message: 'Not Found', documentation_url: DOCS, status: '404' }, 404);
  }

  private orgJson(org: FakeNamespace): unknown {
    return {
      login: org.path,
      id: org.id,
      url: `${this.fake.apiUrl}/orgs/${org.path}`,
      repos_url: `${this.fake.apiUrl}/orgs/${org.path}/repos`,
      description: null,
    };
  }

  private repoJson(repo: FakeRepo): unknown {
    const host = new URL(this.fake.webUrl).host;
    return {
      id: repo.id,
      name: repo.name,
      full_name: repo.fullPath,
      private: repo.isPrivate,
      visibility: repo.isPrivate ? 'private' : 'public',
      owner: {
        login: repo.owner.path,
        id: repo.owner.id,
        type: repo.owner.kind === 'org' ? 'Organization' : 'User',
      },
      html_url: `${this.fake.webUrl}/${repo.fullPath}`,
      description: null,
      fork: false,
      url: `${this.fake.apiUrl}/repos/${repo.fullPath}`,
      clone_url: `${this.fake.webUrl}/${repo.fullPath}.git`,
      ssh_url: `git@${host}:${repo.fullPath}.git`,
      default_branch: repo.defaultBranch,
    };
  }
}
