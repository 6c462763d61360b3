import { randomBytes } from 'node:crypto';
import { parseJsonObject, sendEmpty } from './http';
import type { FakeHook, FakeRepo, FakeRepositories } from './repositories';
import { blobSha, newHookNumber } from './repositories';
import { decodeSegment } from './repo-api';
import type { ApiCaller, RepoEndpoint, RequestContext, Route } from './types';

/**
 * The write routes GitHub defined and Gitee and Gitea copied — repositories, tags, hooks, contents — with each
 * provider's answers where they differ (`GitHubStyleDialect`). Everything written lands in the fake's
 * repositories, where the tests check it.
 */

/** An answer: status and JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface GitHubStyleDialect {
  json(ctx: RequestContext, body: unknown, status?: number): void;
  notFound(ctx: RequestContext): void;
  repoJson(repo: FakeRepo): unknown;
  readonly repositories: FakeRepositories;
  /** The answer to a repository name that is taken. */
  readonly repoExists: Answer;
  readonly createFileMethod: 'PUT' | 'POST';
  /** Where DELETE …/contents takes its parameters. */
  readonly deleteParams: 'body' | 'query';
  fileExists(path: string): Answer;
  staleSha(path: string, given: string, expected: string): Answer;
  /** The hook the request body asks for, or the provider's validation answer. */
  parseHook(body: Record<string, unknown>): Omit<FakeHook, 'id'> | Answer;
  hookJson(repo: FakeRepo, hook: FakeHook): unknown;
  /** What a duplicate hook URL gets (GitHub refuses; Gitee and Gitea accept duplicates: undefined). */
  readonly duplicateHook?: Answer;
  /** The tag routes: GitHub's git database (`git/tags`, `git/refs`), Gitea's or Gitee's `/tags`. */
  readonly tags: 'git-database' | 'gitea' | 'gitee';
  readonly tagExists: Answer;
}

type Within = (
  endpoint: RepoEndpoint,
  handle: (ctx: RequestContext, repo: FakeRepo) => void,
) => Route;

export class GitHubStyleWrites {
  /** Tag objects GitHub created (`git/tags`) that no ref points at yet. */
  private readonly tagObjects = new Map<string, { tag: string; message: string; commit: string }>();

  constructor(private readonly dialect: GitHubStyleDialect) {}

  /** `POST /user/repos` (the caller's own) or `POST /orgs/{org}/repos`. */
  createRepo(ctx: RequestContext, caller: ApiCaller, owner: string | undefined, known: boolean) {
    const d = this.dialect;
    const namespace = owner ?? caller.user.username;
    if (!known) return d.notFound(ctx);
    const body = parseJsonObject(ctx.body) ?? {};
    const name = body.name;
    if (!name || !/^[A-Za-z0-9._-]{1,100}$/.test(name))
      return d.json(ctx, { message: 'Validation Failed: name is invalid' }, 422);
    if (body.private !== 'true')
      return d.json(ctx, { message: 'expected a private repository' }, 422);
    if (d.repositories.repo(namespace, name))
      return d.json(ctx, d.repoExists.body, d.repoExists.status);
    d.json(ctx, d.repoJson(d.repositories.addRepo(namespace, name, { private: true })), 201);
  }

  /** The write routes under `/repos/{owner}/{repo}/`, and the reads only writes need. */
  route(method: string, sub: string, within: Within): Route | undefined {
    if (method === 'GET' && sub === 'hooks') return within('hooks', (c, r) => this.listHooks(c, r));
    if (method === 'POST' && sub === 'hooks')
      return within('hooks', (c, r) => this.createHook(c, r));
    const hook = /^hooks\/([^/]+)$/.exec(sub);
    if (method === 'DELETE' && hook)
      return within('hooks', (c, r) => this.deleteHook(c, r, decodeSegment(hook[1])));
    const commit = /^commits\/(.+)$/.exec(sub);
    if (method === 'GET' && commit)
      return within('commits', (c, r) => this.commit(c, r, decodeSegment(commit[1])));
    const contents = /^contents\/(.+)$/.exec(sub);
    if (contents && (method === this.dialect.createFileMethod || method === 'PUT'))
      return within('contents', (c, r) => this.writeFile(c, r, decodeSegment(contents[1]), method));
    if (contents && method === 'DELETE')
      return within('contents', (c, r) => this.deleteFile(c, r, decodeSegment(contents[1])));
    return this.tagRoute(method, sub, within);
  }

  private tagRoute(method: string, sub: string, within: Within): Route | undefined {
    if (this.dialect.tags === 'git-database') {
      if (method === 'POST' && sub === 'git/tags')
        return within('tags', (c, r) => this.createTagObject(c, r));
      if (method === 'POST' && sub === 'git/refs')
        return within('tags', (c, r) => this.createRef(c, r));
      const ref = /^git\/refs\/tags\/(.+)$/.exec(sub);
      if (method === 'DELETE' && ref)
        return within('tags', (c, r) => this.deleteRef(c, r, decodeSegment(ref[1])));
      return undefined;
    }
    if (method === 'POST' && sub === 'tags') return within('tags', (c, r) => this.createTag(c, r));
    const tag = /^tags\/(.+)$/.exec(sub);
    // Gitee's v5 API has no tag delete.
    if (this.dialect.tags === 'gitea' && method === 'DELETE' && tag)
      return within('tags', (c, r) => this.deleteTag(c, r, decodeSegment(tag[1])));
    return undefined;
  }

  // ---- commits and tags ------------------------------------------------------------------------------------

  /** `GET …/commits/{ref}`: one commit; an unknown ref is 422 at GitHub ("No commit found for SHA"). */
  private commit(ctx: RequestContext, repo: FakeRepo, ref: string): void {
    const d = this.dialect;
    if (repo.isEmpty) return d.json(ctx, { message: 'Git Repository is empty.' }, 409);
    const found = repo.resolve(ref);
    if (!found) return d.json(ctx, { message: `No commit found for SHA: ${ref}` }, 422);
    d.json(ctx, { sha: found.sha, commit: { message: found.message } });
  }

  private createTagObject(ctx: RequestContext, repo: FakeRepo): void {
    const body = parseJsonObject(ctx.body) ?? {};
    const commit = body.object ? repo.commits.get(body.object) : undefined;
    if (!body.tag || body.type !== 'commit' || !commit || body.message === undefined)
      return this.dialect.json(ctx, { message: 'Validation Failed' }, 422);
    const sha = randomBytes(20).toString('hex');
    this.tagObjects.set(sha, { tag: body.tag, message: body.message, commit: commit.sha });
    this.dialect.json(
      ctx,
      { sha, tag: body.tag, message: body.message, object: { sha: commit.sha, type: 'commit' } },
      201,
    );
  }

  /** `refs/tags/{name}` to a tag object (annotated) or a commit (lightweight). */
  private createRef(ctx: RequestContext, repo: FakeRepo): void {
    const d = this.dialect;
    const body = parseJsonObject(ctx.body) ?? {};
    const name = /^refs\/tags\/(.+)$/.exec(body.ref ?? '')?.[1];
    const object = body.sha ? this.tagObjects.get(body.sha) : undefined;
    const commit =
      object?.commit ?? (body.sha && repo.commits.has(body.sha) ? body.sha : undefined);
    if (!name || !commit) return d.json(ctx, { message: 'Validation Failed' }, 422);
    if (repo.tags.has(name)) return d.json(ctx, d.tagExists.body, d.tagExists.status);
    repo.tags.set(name, commit);
    if (object) repo.tagMessages.set(name, object.message);
    d.json(ctx, { ref: body.ref, object: { sha: body.sha, type: object ? 'tag' : 'commit' } }, 201);
  }

  private deleteRef(ctx: RequestContext, repo: FakeRepo, name: string): void {
    if (!repo.tags.delete(name))
      return this.dialect.json(ctx, { message: 'Reference does not exist' }, 422);
    repo.tagMessages.delete(name);
    sendEmpty(ctx.res, 204);
  }

  /** Gitea `{tag_name, target, message}`, Gitee `{refs, tag_name, tag_message}`. */
  private createTag(ctx: RequestContext, repo: FakeRepo): void {
    const d = this.dialect;
    const body = parseJsonObject(ctx.body) ?? {};
    const gitee = d.tags === 'gitee';
    const name = body.tag_name;
    const message = gitee ? body.tag_message : body.message;
    // Gitee's `refs` defaults to master.
    const target = gitee ? (body.refs ?? 'master') : body.target;
    const commit = repo.resolve(target);
    if (!name) return d.json(ctx, { message: 'tag_name is required' }, 422);
    if (!commit) return d.json(ctx, { message: `target ${target} not found` }, 404);
    if (repo.tags.has(name)) return d.json(ctx, d.tagExists.body, d.tagExists.status);
    repo.tags.set(name, commit.sha);
    if (message) repo.tagMessages.set(name, message);
    d.json(ctx, { name, message: message ?? '', commit: { sha: commit.sha } }, 201);
  }

  private deleteTag(ctx: RequestContext, repo: FakeRepo, name: string): void {
    if (!repo.tags.delete(name)) return this.dialect.notFound(ctx);
    repo.tagMessages.delete(name);
    sendEmpty(ctx.res, 204);
  }

  // ---- hooks -----------------------------------------------------------------------------------------------

  private listHooks(ctx: RequestContext, repo: FakeRepo): void {
    this.dialect.json(
      ctx,
      [...repo.hooks.values()].map((h) => this.dialect.hookJson(repo, h)),
    );
  }

  private createHook(ctx: RequestContext, repo: FakeRepo): void {
    const d = this.dialect;
    let body: unknown;
    try {
      body = JSON.parse(ctx.body);
    } catch {
      return d.json(ctx, { message: 'Problems parsing JSON' }, 400);
    }
    const parsed = d.parseHook((body ?? {}) as Record<string, unknown>);
    if ('status' in parsed) return d.json(ctx, parsed.body, parsed.status);
    if (d.duplicateHook && [...repo.hooks.values()].some((h) => h.url === parsed.url))
      return d.json(ctx, d.duplicateHook.body, d.duplicateHook.status);
    const hook: FakeHook = { id: String(newHookNumber()), ...parsed };
    repo.hooks.set(hook.id, hook);
    d.json(ctx, d.hookJson(repo, hook), 201);
  }

  private deleteHook(ctx: RequestContext, repo: FakeRepo, id: string): void {
    if (!repo.hooks.delete(id)) return this.dialect.notFound(ctx);
    sendEmpty(ctx.res, 204);
  }

  // ---- contents --------------------------------------------------------------------------------------------

  /**
   * Create (no `sha`) or update (`sha` of the current blob) `path` on `branch` (default: the default branch). An
   * unknown branch is 404; a missing `sha` for a file that exists, or a `sha` that is not the blob's, is the
   * dialect's answer; nothing is written then.
   */
  private writeFile(ctx: RequestContext, repo: FakeRepo, path: string, method: string): void {
    const d = this.dialect;
    const body = parseJsonObject(ctx.body) ?? {};
    if (body.message === undefined || body.content === undefined)
      return d.json(ctx, { message: 'message and content are required' }, 422);
    const branch = body.branch ?? repo.defaultBranch;
    if (!repo.branches.has(branch) && !repo.isEmpty)
      return d.json(ctx, { message: `Branch ${branch} not found` }, 404);
    const current = repo.head(branch)?.files.get(path);
    const creating = method !== 'PUT' || body.sha === undefined;
    if (creating && current) {
      const answer = d.fileExists(path);
      return d.json(ctx, answer.body, answer.status);
    }
    if (!creating) {
      if (!current) return d.notFound(ctx);
      if (blobSha(current) !== body.sha) {
        const answer = d.staleSha(path, body.sha ?? '', blobSha(current));
        return d.json(ctx, answer.body, answer.status);
      }
    }
    const content = Buffer.from(body.content, 'base64');
    const commit = repo.commit(branch, { message: body.message, files: { [path]: content } });
    d.json(
      ctx,
      {
        content: { path, sha: blobSha(content), size: content.length },
        commit: { sha: commit.sha },
      },
      creating ? 201 : 200,
    );
  }

  private deleteFile(ctx: RequestContext, repo: FakeRepo, path: string): void {
    const d = this.dialect;
    const params = d.deleteParams === 'query' ? ctx.query : (parseJsonObject(ctx.body) ?? {});
    if (!params.sha || !params.message)
      return d.json(ctx, { message: 'sha and message are required' }, 422);
    const branch = params.branch ?? repo.defaultBranch;
    const current = repo.head(branch)?.files.get(path);
    if (!current) return d.notFound(ctx);
    if (blobSha(current) !== params.sha) {
      const answer = d.staleSha(path, params.sha, blobSha(current));
      return d.json(ctx, answer.body, answer.status);
    }
    const commit = repo.commit(branch, { message: params.message, files: { [path]: null } });
    d.json(ctx, { content: null, commit: { sha: commit.sha } });
  }
}
