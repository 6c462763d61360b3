import { parseJsonObject, sendEmpty, sendJson } from './http';
import type { FakeNamespace, FakeRepo, FakeRepositories } from './repositories';
import { blobSha, newHookNumber } from './repositories';
import type { ApiCaller, RequestContext } from './types';

/**
 * GitLab's write routes (scope `api`): projects (`namespace_id` numeric; a taken name or path is 400 "has already
 * been taken"), tags (400 "already exists"), hooks (Maintainer; duplicates allowed; the token never shown) and
 * the files API (400 "A file with this name already exists" / "doesn't exist", and `last_commit_id` refusing a
 * file that changed since with 400 "…has changed since you started editing it").
 */
export class GitLabWrites {
  constructor(
    private readonly repositories: FakeRepositories,
    private readonly answers: {
      projectJson(repo: FakeRepo): unknown;
      namespaceById(id: string): FakeNamespace | undefined;
    },
  ) {}

  createProject(ctx: RequestContext, caller: ApiCaller): void {
    const body = parseJsonObject(ctx.body) ?? {};
    const namespace = this.answers.namespaceById(body.namespace_id ?? '');
    if (!namespace || !namespace.members.has(caller.user.username))
      return this.json(ctx, { message: '404 Namespace Not Found' }, 404);
    const path = body.path ?? body.name;
    if (!path || !body.name) return this.json(ctx, { message: 'name is missing' }, 400);
    if (this.repositories.repo(namespace.path, path))
      return this.json(
        ctx,
        { message: { name: ['has already been taken'], path: ['has already been taken'] } },
        400,
      );
    const repo = this.repositories.addRepo(namespace.path, path, {
      displayName: body.name,
      private: body.visibility !== 'public',
    });
    this.json(ctx, this.answers.projectJson(repo), 201);
  }

  createTag(ctx: RequestContext, repo: FakeRepo): void {
    const body = parseJsonObject(ctx.body) ?? {};
    if (!body.tag_name || !body.ref)
      return this.json(ctx, { error: 'tag_name, ref are missing' }, 400);
    const commit = repo.resolve(body.ref);
    if (!commit) return this.json(ctx, { message: `Target ${body.ref} is invalid` }, 400);
    if (repo.tags.has(body.tag_name))
      return this.json(ctx, { message: `Tag ${body.tag_name} already exists` }, 400);
    repo.tags.set(body.tag_name, commit.sha);
    if (body.message) repo.tagMessages.set(body.tag_name, body.message);
    this.json(ctx, { name: body.tag_name, message: body.message ?? null, target: commit.sha }, 201);
  }

  deleteTag(ctx: RequestContext, repo: FakeRepo, name: string): void {
    if (!repo.tags.delete(name)) return this.json(ctx, { message: '404 Tag Not Found' }, 404);
    repo.tagMessages.delete(name);
    sendEmpty(ctx.res, 204);
  }

  listHooks(ctx: RequestContext, repo: FakeRepo): void {
    this.json(
      ctx,
      [...repo.hooks.values()].map((h) => ({
        id: Number(h.id),
        url: h.url,
        project_id: repo.id,
        push_events: h.events.includes('push'),
        tag_push_events: h.events.includes('tag_push'),
        enable_ssl_verification: h.settings.enable_ssl_verification,
        created_at: '2024-05-01T08:30:00.000+02:00',
      })),
    );
  }

  createHook(ctx: RequestContext, repo: FakeRepo): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(ctx.body) as Record<string, unknown>;
    } catch {
      return this.json(ctx, { error: 'url is missing' }, 400);
    }
    if (typeof body.url !== 'string') return this.json(ctx, { error: 'url is missing' }, 400);
    const id = String(newHookNumber());
    repo.hooks.set(id, {
      id,
      url: body.url,
      secret: typeof body.token === 'string' ? body.token : '',
      events: [
        ...(body.push_events === true ? ['push'] : []),
        ...(body.tag_push_events === true ? ['tag_push'] : []),
      ],
      settings: { enable_ssl_verification: body.enable_ssl_verification },
    });
    this.json(ctx, { id: Number(id), url: body.url, project_id: repo.id }, 201);
  }

  deleteHook(ctx: RequestContext, repo: FakeRepo, id: string): void {
    if (!repo.hooks.delete(id)) return this.json(ctx, { message: '404 Not found' }, 404);
    sendEmpty(ctx.res, 204);
  }

  /** POST creates, PUT updates, DELETE deletes (parameters in a JSON body or the query). */
  writeFile(ctx: RequestContext, repo: FakeRepo, path: string, method: string): void {
    const body = { ...ctx.query, ...(parseJsonObject(ctx.body) ?? {}) };
    if (!body.branch || !body.commit_message)
      return this.json(ctx, { error: 'branch, commit_message are missing' }, 400);
    if (!repo.branches.has(body.branch))
      return this.json(
        ctx,
        { message: 'You can only create or edit files when you are on a branch' },
        400,
      );
    const current = repo.head(body.branch)?.files.get(path);
    if (method === 'POST' && current)
      return this.json(ctx, { message: 'A file with this name already exists' }, 400);
    if (method !== 'POST') {
      if (!current) return this.json(ctx, { message: "A file with this name doesn't exist" }, 400);
      const known = body.last_commit_id ? repo.commits.get(body.last_commit_id) : undefined;
      const then = known?.files.get(path);
      if (body.last_commit_id && (!then || blobSha(then) !== blobSha(current)))
        return this.json(
          ctx,
          {
            message:
              'You are attempting to update a file that has changed since you started editing it.',
          },
          400,
        );
    }
    if (method !== 'DELETE' && (body.encoding !== 'base64' || body.content === undefined))
      return this.json(ctx, { error: 'content is missing' }, 400);
    const content = method === 'DELETE' ? null : Buffer.from(body.content ?? '', 'base64');
    repo.commit(body.branch, { message: body.commit_message, files: { [path]: content } });
    if (method === 'DELETE') return sendEmpty(ctx.res, 204);
    this.json(ctx, { file_path: path, branch: body.branch }, method === 'POST' ? 201 : 200);
  }

  private json(ctx: RequestContext, body: unknown, status = 200): void {
    sendJson(ctx.res, status, body);
  }
}
