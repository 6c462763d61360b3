import { Controller, Get } from '@nestjs/common';
import { ProjectId } from '../git-auth/dto/path-params';
import type { ProjectRef } from '../git-auth/providers/repo-api/repo-model';
import { FilePathParam, RefQuery, RepoAuth, RepoParam } from './dto/repo-params';
import { type FileContentDto, toFileContent, type TreeDto } from './dto/repo-responses.dto';
import { FILES_TAG, ListTreesApi, RepositoriesApi, ShowContentApi } from './repositories.api-docs';
import { RepositoryBrowser } from './repository-browser.service';

/** `trees` is a literal segment: the router prefers it to `{path}`, so listTrees wins. */
@RepositoriesApi(FILES_TAG)
@Controller('v1/:project_id/git/files')
export class FilesController {
  constructor(private readonly browser: RepositoryBrowser) {}

  @Get(':namespace/:project/trees')
  @ListTreesApi()
  async listTrees(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @RefQuery({ required: true }) ref: string,
  ): Promise<TreeDto> {
    return { paths: await this.browser.listFiles(projectId, repoAuth, repo, ref) };
  }

  @Get(':namespace/:project/:path')
  @ShowContentApi()
  async showContent(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @FilePathParam() path: string,
    @RefQuery({ required: true }) ref: string,
  ): Promise<FileContentDto> {
    return toFileContent(await this.browser.readFile(projectId, repoAuth, repo, path, ref));
  }
}
