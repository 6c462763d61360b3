import { randomUUID } from 'node:crypto';
import { header, parseJsonObject, sendEmpty, sendJson } from './http';
import type { FakeRepo, FakeRepositories } from './repositories';
import type { ApiCaller, RequestContext } from './types';

/**
 * Bitbucket Cloud's write routes: repositories (`POST /repositories/{ws}/{slug}`), tags (lightweight only),
 * hooks (`{uuid}` ids; the secret never shown, `secret_set` instead) and commits through `POST /src`, a
 * multipart form: a field named after a path is that file's new content, `files` names paths to delete,
 * `parents` asserts the branch's head (409 if it moved) — and an unknown `branch` is created, silently.
 */
export class BitbucketWrites {
  constructor(
    private readonly repositories: FakeRepositories,
    private readonly repoJson: (repo: FakeRepo, caller: ApiCaller) => unknown,
  ) {}

  createRepo(ctx: RequestContext, caller: ApiCaller, workspace: string, slug: string): void {
    const ws = this.repositories.namespace(workspace);
    if (!ws || !ws.members.has(caller.user.username))
      return this.error(ctx, 404, `workspace ${workspace} not found`);
    const body = parseJsonObject(ctx.body) ?? {};
    if (body.scm !== 'git') return this.error(ctx, 400, 'scm: must be git');
    if (this.repositories.repo(ws.path, slug))
      return this.error(ctx, 400, 'Repository with this Slug and Owner already exists.');
    const repo = this.repositories.addRepo(ws.path, slug, {
      displayName: body.name ?? slug,
      private: body.is_private === 'true',
    });
    sendJson(ctx.res, 200, this.repoJson(repo, caller));
  }

  branch(ctx: RequestContext, repo: FakeRepo, name: string): void {
    const hash = repo.branches.get(name);
    if (!hash) return this.error(ctx, 404, `Branch "${name}" does not exist.`);
    sendJson(ctx.res, 200, { type: 'branch', name, target: { type: 'commit', hash } });
  }

  createTag(ctx: RequestContext, repo: FakeRepo): void {
    let body: { name?: unknown; target?: { hash?: unknown } };
    try {
      body = JSON.parse(ctx.body) as typeof body;
    } catch {
      return this.error(ctx, 400, 'Bad request');
    }
    const hash = typeof body.target?.hash === 'string' ? body.target.hash : '';
    if (typeof body.name !== 'string' || !repo.commits.has(hash))
      return this.error(ctx, 400, 'name and target.hash are required');
    if (repo.tags.has(body.name)) return this.error(ctx, 400, `tag "${body.name}" already exists`);
    repo.tags.set(body.name, hash);
    sendJson(ctx.res, 201, { type: 'tag', name: body.name, target: { hash } });
  }

  deleteTag(ctx: RequestContext, repo: FakeRepo, name: string): void {
    if (!repo.tags.delete(name)) return this.error(ctx, 404, `tag "${name}" not found`);
    sendEmpty(ctx.res, 204);
  }

  listHooks(ctx: RequestContext, repo: FakeRepo): void {
    sendJson(ctx.res, 200, {
      pagelen: 100,
      size: repo.hooks.size,
      page: 1,
      values: [...repo.hooks.values()].map((h) => this.hookJson(h)),
    });
  }

  createHook(ctx: RequestContext, repo: FakeRepo): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(ctx.body) as Record<string, unknown>;
    } catch {
      return this.error(ctx, 400, 'Bad request');
    }
    if (typeof body.url !== 'string' || !Array.isArray(body.events))
      return this.error(ctx, 400, 'url and events are required');
    const hook = {
      id: `{${randomUUID()}}`,
      url: body.url,
      secret: typeof body.secret === 'string' ? body.secret : '',
      events: body.events as string[],
      settings: { description: body.description, active: body.active },
    };
    repo.hooks.set(hook.id, hook);
    sendJson(ctx.res, 201, this.hookJson(hook));
  }

  deleteHook(ctx: RequestContext, repo: FakeRepo, uuid: string): void {
    if (!repo.hooks.delete(uuid)) return this.error(ctx, 404, 'Webhook not found');
    sendEmpty(ctx.res, 204);
  }

  /** `POST /src`: one commit from a multipart form (or a urlencoded one, for text files). */
  async commit(ctx: RequestContext, repo: FakeRepo): Promise<void> {
    let form: FormData;
    try {
      form = await new Request('http://fake/', {
        method: 'POST',
        headers: { 'content-type': header(ctx.req, 'content-type') ?? '' },
        body: ctx.rawBody,
      }).formData();
    } catch {
      return this.error(ctx, 400, 'Expected a multipart/form-data or urlencoded body');
    }
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const branch = text('branch') ?? repo.defaultBranch;
    const parents = text('parents');
    const head = repo.branches.get(branch);
    if (parents !== undefined && head !== undefined && !parents.split(',').includes(head))
      return this.error(ctx, 409, `The branch ${branch} has moved since ${parents}`);
    const files: Record<string, Buffer | null> = {};
    for (const [name, value] of form.entries()) {
      if (['message', 'branch', 'parents', 'author', 'files'].includes(name)) continue;
      const path = name.replace(/^\/+/, '');
      files[path] =
        typeof value === 'string' ? Buffer.from(value) : Buffer.from(await value.arrayBuffer());
    }
    for (const value of form.getAll('files'))
      if (typeof value === 'string' && !(value.replace(/^\/+/, '') in files))
        files[value.replace(/^\/+/, '')] = null;
    // An unknown branch is created from the given parent (or the main branch): Bitbucket does not refuse it.
    if (head === undefined && parents !== undefined && repo.commits.has(parents))
      repo.branches.set(branch, parents);
    repo.commit(branch, { message: text('message') ?? 'Edited online with Bitbucket', files });
    sendEmpty(ctx.res, 201);
  }

  private hookJson(h: {
    id: string;
    url: string;
    events: readonly string[];
    settings: Record<string, unknown>;
  }) {
    return {
      type: 'webhook_subscription',
      uuid: h.id,
      url: h.url,
      description: h.settings.description,
      active: h.settings.active,
      events: h.events,
      secret_set: true,
      subject_type: 'repository',
    };
  }

  private error(ctx: RequestContext, status: number, message: string): void {
    sendJson(ctx.res, status, { type: 'error', error: { message } });
  }
}
