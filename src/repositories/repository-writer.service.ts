import { Inject, Injectable } from '@nestjs/common';
import type {
  FileDeletion,
  FileUpdate,
  NewFile,
  NewHook,
  NewTag,
  ProjectRef,
  RepoHook,
  RepoProject,
} from '../git-auth/providers/repo-api/repo-model';
import { checkHookUrl } from './domain/hook-url';
import { RepoAccess } from './repo-access';
import { repositoriesConfig, type RepositoriesConfig } from './repositories.config';

/** Hooks and the repo type of the provider that has them (what the answers call `type`). */
export interface ProviderHooks {
  readonly repoType: string;
  readonly hooks: RepoHook[];
}

/** `namespace/project` as the caller named it: the audit trail's `repository`. */
const named = (repo: ProjectRef) => `${repo.namespace}/${repo.project}`;

/**
 * The write side of the repository operations, provider-agnostic: each checks what holds at every provider,
 * resolves X-Repo-Auth, is recorded in the audit trail, and hands the work to the authorization's provider
 * strategy. listHooks is a read, but of what only repository administrators see.
 */
@Injectable()
export class RepositoryWriter {
  constructor(
    private readonly access: RepoAccess,
    @Inject(repositoriesConfig.KEY) private readonly config: RepositoriesConfig,
  ) {}

  createProject(
    projectId: string,
    repoAuth: unknown,
    namespace: string,
    name: string,
  ): Promise<RepoProject> {
    const target = { repository: `${namespace}/${name}` };
    return this.access.write(
      projectId,
      repoAuth,
      { operation: 'createProject', target },
      (p, ctx) => p.createProject(ctx, namespace, name),
    );
  }

  createTag(projectId: string, repoAuth: unknown, repo: ProjectRef, tag: NewTag): Promise<void> {
    const target = { repository: named(repo), ref: tag.name };
    return this.access.write(projectId, repoAuth, { operation: 'createTag', target }, (p, ctx) =>
      p.createTag(ctx, repo, tag),
    );
  }

  deleteTag(projectId: string, repoAuth: unknown, repo: ProjectRef, name: string): Promise<void> {
    const target = { repository: named(repo), ref: name };
    return this.access.write(projectId, repoAuth, { operation: 'deleteTag', target }, (p, ctx) =>
      p.deleteTag(ctx, repo, name),
    );
  }

  listHooks(projectId: string, repoAuth: unknown, repo: ProjectRef): Promise<ProviderHooks> {
    return this.access.run(projectId, repoAuth, 'listHooks', async (p, ctx) => ({
      repoType: p.descriptor.repoType,
      hooks: await p.listHooks(ctx, repo),
    }));
  }

  createHook(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    hook: NewHook,
  ): Promise<ProviderHooks> {
    const url = checkHookUrl(hook.url, this.config.hookHttpHosts);
    const target = { repository: named(repo) };
    return this.access.write(
      projectId,
      repoAuth,
      { operation: 'createHook', target },
      async (p, ctx) => ({
        repoType: p.descriptor.repoType,
        hooks: [await p.createHook(ctx, repo, { url, secret: hook.secret })],
      }),
    );
  }

  deleteHook(projectId: string, repoAuth: unknown, repo: ProjectRef, id: string): Promise<void> {
    const target = { repository: named(repo), hookId: id };
    return this.access.write(projectId, repoAuth, { operation: 'deleteHook', target }, (p, ctx) =>
      p.deleteHook(ctx, repo, id),
    );
  }

  createFile(projectId: string, repoAuth: unknown, repo: ProjectRef, file: NewFile): Promise<void> {
    const target = { repository: named(repo), ref: file.branch, path: file.path };
    return this.access.write(projectId, repoAuth, { operation: 'createFile', target }, (p, ctx) =>
      p.createFile(ctx, repo, file),
    );
  }

  updateFile(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    file: FileUpdate,
  ): Promise<void> {
    const target = { repository: named(repo), ref: file.branch, path: file.path };
    return this.access.write(projectId, repoAuth, { operation: 'updateFile', target }, (p, ctx) =>
      p.updateFile(ctx, repo, file),
    );
  }

  deleteFile(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    file: FileDeletion,
  ): Promise<void> {
    const target = { repository: named(repo), ref: file.branch, path: file.path };
    return this.access.write(projectId, repoAuth, { operation: 'deleteFile', target }, (p, ctx) =>
      p.deleteFile(ctx, repo, file),
    );
  }
}
