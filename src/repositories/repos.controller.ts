import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import type { ProjectRef } from '../git-auth/providers/repo-api/repo-model';
import { ProjectId } from '../git-auth/dto/path-params';
import { checkTagName } from './domain/write-rules';
import {
  CloneUrlQuery,
  HookIdParam,
  NamespaceParam,
  RefQuery,
  RepoAuth,
  RepoParam,
  TagNameParam,
} from './dto/repo-params';
import {
  type BranchListDto,
  type CommitListDto,
  type HookDto,
  type HookListDto,
  type NamespaceListDto,
  type ProjectDetailDto,
  type ProjectDto,
  type ProjectListDto,
  type TagCreatedDto,
  type TagListDto,
  toCommitList,
  toHook,
  toNamespaceList,
  toProjectDetail,
  toProject,
  toProjectList,
} from './dto/repo-responses.dto';
import { CreateHookBody, CreateProjectBody, CreateTagBody } from './dto/write-bodies.dto';
import {
  CreateHookApi,
  CreateProjectApi,
  CreateTagApi,
  DeleteHookApi,
  DeleteTagApi,
  ListHooksApi,
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
import { RepositoryWriter } from './repository-writer.service';

@RepositoriesApi(REPOS_TAG)
@Controller('v1/:project_id/git/repos')
export class ReposController {
  constructor(
    private readonly browser: RepositoryBrowser,
    private readonly writer: RepositoryWriter,
  ) {}

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

  @Post(':namespace/projects')
  @HttpCode(HttpStatus.OK)
  @CreateProjectApi()
  async createProject(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @NamespaceParam() namespace: string,
    @Body() body: CreateProjectBody,
  ): Promise<ProjectDto> {
    return toProject(await this.writer.createProject(projectId, repoAuth, namespace, body.name));
  }

  @Post(':namespace/:project/tags')
  @HttpCode(HttpStatus.OK)
  @CreateTagApi()
  async createTag(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @RefQuery({ required: true }) ref: string,
    @Body() body: CreateTagBody,
  ): Promise<TagCreatedDto> {
    const name = checkTagName('name', body.name);
    await this.writer.createTag(projectId, repoAuth, repo, {
      name,
      ref,
      message: body.description,
    });
    return { name };
  }

  @Delete(':namespace/:project/tags/:tag_name')
  @HttpCode(HttpStatus.NO_CONTENT)
  @DeleteTagApi()
  async deleteTag(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @TagNameParam() tagName: string,
  ): Promise<void> {
    await this.writer.deleteTag(projectId, repoAuth, repo, tagName);
  }

  @Get(':namespace/:project/hooks')
  @ListHooksApi()
  async listHooks(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
  ): Promise<HookListDto> {
    const { repoType, hooks } = await this.writer.listHooks(projectId, repoAuth, repo);
    return { hooks: hooks.map((hook) => toHook(repoType, hook)) };
  }

  @Post(':namespace/:project/hooks')
  @HttpCode(HttpStatus.OK)
  @CreateHookApi()
  async createHook(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @Body() body: CreateHookBody,
  ): Promise<HookDto> {
    const { repoType, hooks } = await this.writer.createHook(projectId, repoAuth, repo, {
      url: body.url,
      secret: body.secret,
    });
    return toHook(repoType, hooks[0]);
  }

  @Delete(':namespace/:project/hooks/:hook_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @DeleteHookApi()
  async deleteHook(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @HookIdParam() hookId: string,
  ): Promise<void> {
    await this.writer.deleteHook(projectId, repoAuth, repo, hookId);
  }
}
