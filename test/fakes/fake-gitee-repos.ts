import type { FakeGitee } from './fake-gitee';
import { send, sendJson, type Params } from './http';
import { pageOf } from './paging';
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

const PAGE = { param: 'per_page', fallback: 20, max: 100 };

/**
 * Gitee's repository API (v5, under /api/v5), modelled on GitHub's: `/user/namespaces` and `/user/namespace`,
 * repositories of users, organizations (groups) and enterprises, branches, tags, commits, git trees, contents
 * and raw files. Lists page with `page`/`per_page` ≤ 100 and say nothing about a next page (only `total_count`
 * and `total_page` headers). Times are in +08:00; repository `html_url`s end in `.git`.
 */
export class GiteeRepoApi implements GitHubStyleRepoHandlers {
  private readonly writes: GitHubStyleWrites;

  constructor(private readonly fake: FakeGitee) {
    this.writes = new GitHubStyleWrites(this.dialect());
  }

  route(method: string, path: string): Route | undefined {
    if (!path.startsWith('/api/v5/')) return undefined;
    const rest = path.slice('/api/v5'.length);
    const writing = method !== 'GET';
    const on = authenticated((c) => this.fake.authenticateApi(c));
    if (method === 'POST' && rest === '/user/repos')
      return on('projects', (c, who) => this.writes.createRepo(c, who, undefined, true));
    const created = /^\/(orgs|enterprises)\/([^/]+)\/repos$/.exec(rest);
    if (method === 'POST' && created)
      return on('projects', (c, who) => {
        const ns = this.fake.repositories.namespace(decodeSegment(created[2]));
        const kind = created[1] === 'orgs' ? 'group' : 'enterprise';
        const member = ns?.giteeType === kind && ns.members.has(who.user.username);
        this.writes.createRepo(c, who, ns?.path, member);
      });
    if (!writing && rest === '/user/namespaces')
      return on('namespaces', (c, who) => this.namespaces(c, who));
    if (!writing && rest === '/user/namespace')
      return on('namespaces', (c, who) => this.namespace(c, who));
    if (!writing && rest === '/user/repos')
      return on('projects', (c, who) => this.userRepos(c, who));
    const owned = /^\/(users|orgs|enterprises)\/([^/]+)\/repos$/.exec(rest);
    if (!writing && owned)
      return on('projects', (c, who) => this.ownerRepos(c, who, owned[1], decodeSegment(owned[2])));
    const repo = repoRoute(rest);
    if (!repo) return undefined;
    const { owner, name, sub } = repo;
    const within = (endpoint: RepoEndpoint, handle: (c: RequestContext, r: FakeRepo) => void) =>
      on(endpoint, (c, who) => {
        const found = this.fake.repositories.repo(owner, name);
        const member = found?.owner.members.has(who.user.username);
        const allowed = writing || endpoint === 'hooks' ? member : true;
        if (found && this.fake.repositories.canSee(who.user.username, found) && allowed)
          handle(c, found);
        else this.notFound(c, 'Project');
      });
    const write = this.writes.route(method, sub, within);
    if (write || writing) return write;
    return githubStyleRepoRoute(sub, within, this);
  }

  private dialect(): GitHubStyleDialect {
    const answer = (status: number, message: string) => ({ status, body: { message } });
    return {
      json: (ctx, body, status = 200) => this.json(ctx, body, status),
      notFound: (ctx) => this.notFound(ctx, 'Not Found'),
      repoJson: (repo) => this.repoJson(repo),
      repositories: this.fake.repositories,
      repoExists: answer(400, 'Repository name already exists'),
      createFileMethod: 'POST',
      deleteParams: 'query',
      fileExists: () => answer(400, 'A file with this name already exists'),
      staleSha: () => answer(409, 'sha does not match the file'),
      parseHook: (body) => {
        if (typeof body.url !== 'string') return answer(400, 'url is missing');
        return {
          url: body.url,
          secret: typeof body.password === 'string' ? body.password : '',
          events: [
            ...(body.push_events === true ? ['push'] : []),
            ...(body.tag_push_events === true ? ['tag_push'] : []),
          ],
          settings: { encryption_type: body.encryption_type },
        };
      },
      // Gitee shows a hook's password in its answers: the service must not pass it on.
      hookJson: (repo, hook) => ({
        id: Number(hook.id),
        url: hook.url,
        created_at: '2024-05-01T16:30:00+08:00',
        password: hook.secret,
        project_id: repo.id,
        result: 'ok',
        result_code: 200,
        push_events: hook.events.includes('push'),
        tag_push_events: hook.events.includes('tag_push'),
        issues_events: false,
        note_events: false,
        merge_requests_events: false,
      }),
      tags: 'gitee',
      tagExists: answer(400, 'Tag name already exists'),
    };
  }

  /** The joined namespaces (`mode=intrant`): no paging. */
  private namespaces(ctx: RequestContext, caller: ApiCaller): void {
    this.json(
      ctx,
      this.fake.repositories.namespacesOf(caller.user.username).map((n) => this.namespaceJson(n)),
    );
  }

  private namespace(ctx: RequestContext, caller: ApiCaller): void {
    const found = this.fake.repositories.namespace(ctx.query.path ?? '');
    if (!found || (found.kind === 'org' && !found.members.has(caller.user.username)))
      return this.notFound(ctx, 'Namespace');
    this.json(ctx, this.namespaceJson(found));
  }

  /** `type=owner`: the user's own repositories, private ones included. */
  private userRepos(ctx: RequestContext, caller: ApiCaller): void {
    const me = caller.user.username;
    const repos = this.fake.repositories
      .visibleTo(me)
      .filter((r) => ctx.query.type !== 'owner' || r.owner.path === me);
    this.paged(ctx, repos, (r) => this.repoJson(r));
  }

  private ownerRepos(ctx: RequestContext, caller: ApiCaller, route: string, owner: string): void {
    const found = this.fake.repositories.namespace(owner);
    const kind = found?.giteeType ?? (found?.kind === 'org' ? 'group' : 'personal');
    const expected = { users: 'personal', orgs: 'group', enterprises: 'enterprise' }[route];
    if (!found || kind !== expected) return this.notFound(ctx, 'Namespace');
    const repos = this.fake.repositories
      .reposOf(found.path)
      .filter((r) => this.fake.repositories.canSee(caller.user.username, r));
    this.paged(ctx, repos, (r) => this.repoJson(r));
  }

  refs(ctx: RequestContext, repo: FakeRepo, refs: Map<string, string>): void {
    const sorted = [...refs].sort(([a], [b]) => a.localeCompare(b));
    this.paged(ctx, sorted, ([name, sha]) => refJson(this.fake.apiUrl, repo, name, sha));
  }

  commits(ctx: RequestContext, repo: FakeRepo): void {
    if (repo.isEmpty) return this.paged(ctx, [], () => ({}));
    if (!repo.resolve(ctx.query.sha)) return this.notFound(ctx, 'Commit');
    this.paged(ctx, repo.history(ctx.query.sha), (c) =>
      githubStyleCommit(this.fake.webUrl, repo, c, 480),
    );
  }

  tree(ctx: RequestContext, repo: FakeRepo, ref: string): void {
    const commit = repo.resolve(ref);
    const at = commit ? { commit, dir: '' } : repo.treeAt(ref);
    if (!at) return this.notFound(ctx, 'Tree');
    const recursive = ctx.query.recursive === '1';
    const entries = recursive ? repo.walk(at.commit, at.dir) : repo.entries(at.commit, at.dir);
    this.json(ctx, {
      ...treeJson(this.fake.apiUrl, repo, at, entries),
      truncated: false,
    });
  }

  contents(ctx: RequestContext, repo: FakeRepo, path: string, raw: boolean): void {
    const commit = repo.resolve(ctx.query.ref);
    const kind = commit ? repo.kindAt(commit, path) : undefined;
    if (!commit || kind === undefined) return this.notFound(ctx, 'File');
    if (kind !== 'blob') {
      if (raw) return this.notFound(ctx, 'File');
      return this.json(
        ctx,
        repo.entries(commit, path).map((e) => ({
          type: e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : 'file',
          name: e.name,
          path: e.path,
          sha: e.sha,
          size: e.size ?? 0,
        })),
      );
    }
    const content = commit.files.get(path) ?? Buffer.alloc(0);
    if (raw) return send(ctx.res, 200, 'text/plain; charset=utf-8', content);
    const inline = content.length <= this.fake.facts.inlineContentLimit;
    this.json(ctx, {
      type: 'file',
      encoding: 'base64',
      size: content.length,
      name: path.split('/').at(-1),
      path,
      content: inline ? content.toString('base64') : '',
      sha: blobSha(content),
      url: `${this.fake.apiUrl}/repos/${repo.fullPath}/contents/${path}`,
      download_url: `${this.fake.webUrl}/${repo.fullPath}/raw/${ctx.query.ref}/${path}`,
    });
  }

  project(ctx: RequestContext, repo: FakeRepo): void {
    this.json(ctx, this.repoJson(repo));
  }

  private paged<T>(ctx: RequestContext, all: readonly T[], toJson: (item: T) => unknown): void {
    const page = pageOf(all, ctx.query, PAGE);
    this.json(ctx, page.items.map(toJson), 200, {
      total_count: String(page.total),
      total_page: String(page.lastPage),
    });
  }

  private json(ctx: RequestContext, body: unknown, status = 200, headers: Params = {}): void {
    sendJson(ctx.res, status, body, headers);
  }

  private notFound(ctx: RequestContext, what: string): void {
    this.json(ctx, { message: `Not Found ${what}` }, 404);
  }

  private namespaceJson(n: FakeNamespace): unknown {
    return {
      id: n.id,
      type: n.giteeType ?? (n.kind === 'org' ? 'group' : 'personal'),
      name: n.name,
      path: n.path,
      html_url: `${this.fake.webUrl}/${n.path}`,
    };
  }

  private repoJson(r: FakeRepo): unknown {
    const host = new URL(this.fake.webUrl).host;
    return {
      id: r.id,
      full_name: r.fullPath,
      human_name: `${r.owner.name}/${r.displayName}`,
      url: `${this.fake.apiUrl}/repos/${r.fullPath}`,
      namespace: this.namespaceJson(r.owner),
      path: r.name,
      name: r.displayName,
      owner: { login: r.owner.path },
      private: r.isPrivate,
      html_url: `${this.fake.webUrl}/${r.fullPath}.git`,
      ssh_url: `git@${host}:${r.fullPath}.git`,
      default_branch: r.isEmpty ? null : r.defaultBranch,
    };
  }
}
