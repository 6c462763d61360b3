import { Controller, Get } from '@nestjs/common';
import type { ProjectRef } from '../git-auth/providers/repo-api/repo-model';
import { ProjectId } from '../git-auth/dto/path-params';
import { CloneUrlQuery, NamespaceParam, RefQuery, RepoAuth, RepoParam } from './dto/repo-params';
import {
  type BranchListDto,
  type CommitListDto,
  type NamespaceListDto,
  type ProjectDetailDto,
  type ProjectListDto,
  type TagListDto,
  toCommitList,
  toNamespaceList,
  toProjectDetail,
  toProjectList,
} from './dto/repo-responses.dto';
import {
  ListBranchesApi,
  ListCommitsApi,
  ListNamespacesApi,
  ListProjectsApi,
  ListTagsApi,
  REPOS_TAG,
  RepositoriesApi,
  ShowProjectDetailApi,
} from './repositories.api-docs';
import { RepositoryBrowser } from './repository-browser.service';

@RepositoriesApi(REPOS_TAG)
@Controller('v1/:project_id/git/repos')
export class ReposController {
  constructor(private readonly browser: RepositoryBrowser) {}

  @Get('namespaces')
  @ListNamespacesApi()
  async listNamespaces(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
  ): Promise<NamespaceListDto> {
    return toNamespaceList(await this.browser.listNamespaces(projectId, repoAuth));
  }

  @Get('project-info')
  @ShowProjectDetailApi()
  async showProjectDetail(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @CloneUrlQuery() cloneUrl: unknown,
  ): Promise<ProjectDetailDto> {
    return toProjectDetail(await this.browser.showProject(projectId, repoAuth, cloneUrl));
  }

  @Get(':namespace/projects')
  @ListProjectsApi()
  async listProjects(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @NamespaceParam() namespace: string,
  ): Promise<ProjectListDto> {
    return toProjectList(await this.browser.listProjects(projectId, repoAuth, namespace));
  }

  @Get(':namespace/:project/branches')
  @ListBranchesApi()
  async listBranches(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
  ): Promise<BranchListDto> {
    return { branches: await this.browser.listRefs(projectId, repoAuth, repo, 'branches') };
  }

  @Get(':namespace/:project/tags')
  @ListTagsApi()
  async listTags(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
  ): Promise<TagListDto> {
    return { tags: await this.browser.listRefs(projectId, repoAuth, repo, 'tags') };
  }

  @Get(':namespace/:project/commits')
  @ListCommitsApi()
  async listCommits(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @RefQuery({ required: false }) ref: string | undefined,
  ): Promise<CommitListDto> {
    return toCommitList(await this.browser.listCommits(projectId, repoAuth, repo, ref));
  }
}
