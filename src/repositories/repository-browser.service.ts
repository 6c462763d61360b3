import { Injectable } from '@nestjs/common';
import type {
  ProjectDetail,
  ProjectRef,
  RefKind,
  RepoCommit,
  RepoFile,
  RepoNamespace,
  RepoProject,
} from '../git-auth/providers/repo-api/repo-model';
import { parseCloneUrl } from './domain/clone-url';
import { RepoAccess } from './repo-access';

/**
 * The read side of the repository operations, provider-agnostic: each resolves X-Repo-Auth and hands the work
 * to the authorization's provider strategy.
 */
@Injectable()
export class RepositoryBrowser {
  constructor(private readonly access: RepoAccess) {}

  listNamespaces(projectId: string, repoAuth: unknown): Promise<RepoNamespace[]> {
    return this.access.run(projectId, repoAuth, 'listNamespaces', (p, ctx) =>
      p.listNamespaces(ctx),
    );
  }

  /** The clone URL must be on the authorization's server; checked once the authorization is known. */
  showProject(projectId: string, repoAuth: unknown, cloneUrl: unknown): Promise<ProjectDetail> {
    return this.access.run(projectId, repoAuth, 'showProjectDetail', (p, ctx) =>
      p.showProject(ctx, parseCloneUrl(cloneUrl, ctx.target.webUrl)),
    );
  }

  listProjects(projectId: string, repoAuth: unknown, namespace: string): Promise<RepoProject[]> {
    return this.access.run(projectId, repoAuth, 'listProjects', (p, ctx) =>
      p.listProjects(ctx, namespace),
    );
  }

  listRefs(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    kind: RefKind,
  ): Promise<string[]> {
    return this.access.run(
      projectId,
      repoAuth,
      kind === 'branches' ? 'listBranches' : 'listTags',
      (p, ctx) => p.listRefs(ctx, repo, kind),
    );
  }

  listCommits(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    ref: string | undefined,
  ): Promise<RepoCommit[]> {
    return this.access.run(projectId, repoAuth, 'listCommits', (p, ctx) =>
      p.listCommits(ctx, repo, ref),
    );
  }

  listFiles(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    ref: string,
  ): Promise<string[]> {
    return this.access.run(projectId, repoAuth, 'listTrees', (p, ctx) =>
      p.listFiles(ctx, repo, ref),
    );
  }

  readFile(
    projectId: string,
    repoAuth: unknown,
    repo: ProjectRef,
    path: string,
    ref: string,
  ): Promise<RepoFile> {
    return this.access.run(projectId, repoAuth, 'showContent', (p, ctx) =>
      p.readFile(ctx, repo, path, ref),
    );
  }
}
