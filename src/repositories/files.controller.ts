import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Put } from '@nestjs/common';
import { ProjectId } from '../git-auth/dto/path-params';
import type { ProjectRef } from '../git-auth/providers/repo-api/repo-model';
import { decodeContent } from './domain/write-rules';
import {
  FilePathParam,
  MessageQuery,
  RefQuery,
  RepoAuth,
  RepoParam,
  ShaQuery,
} from './dto/repo-params';
import {
  type FileContentDto,
  type FileWrittenDto,
  toFileContent,
  type TreeDto,
} from './dto/repo-responses.dto';
import { CreateFileBody, UpdateFileBody } from './dto/write-bodies.dto';
import {
  CreateFileApi,
  DeleteFileApi,
  FILES_TAG,
  ListTreesApi,
  RepositoriesApi,
  ShowContentApi,
  UpdateFileApi,
} from './repositories.api-docs';
import { RepositoryBrowser } from './repository-browser.service';
import { RepositoryWriter } from './repository-writer.service';

/** `trees` is a literal segment: the router prefers it to `{path}`, so listTrees wins. */
@RepositoriesApi(FILES_TAG)
@Controller('v1/:project_id/git/files')
export class FilesController {
  constructor(
    private readonly browser: RepositoryBrowser,
    private readonly writer: RepositoryWriter,
  ) {}

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

  @Post(':namespace/:project/:path')
  @HttpCode(HttpStatus.OK)
  @CreateFileApi()
  async createFile(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @FilePathParam() path: string,
    @RefQuery({ required: true }) branch: string,
    @Body() body: CreateFileBody,
  ): Promise<FileWrittenDto> {
    const content = decodeContent('content', body.content);
    await this.writer.createFile(projectId, repoAuth, repo, {
      path,
      branch,
      message: body.message,
      content,
    });
    return { path };
  }

  @Put(':namespace/:project/:path')
  @UpdateFileApi()
  async updateFile(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @FilePathParam() path: string,
    @RefQuery({ required: true }) branch: string,
    @Body() body: UpdateFileBody,
  ): Promise<FileWrittenDto> {
    const content = decodeContent('content', body.content);
    await this.writer.updateFile(projectId, repoAuth, repo, {
      path,
      branch,
      message: body.message,
      content,
      sha: body.sha.toLowerCase(),
    });
    return { path };
  }

  @Delete(':namespace/:project/:path')
  @HttpCode(HttpStatus.NO_CONTENT)
  @DeleteFileApi()
  async deleteFile(
    @ProjectId() projectId: string,
    @RepoAuth() repoAuth: unknown,
    @RepoParam() repo: ProjectRef,
    @FilePathParam() path: string,
    @RefQuery({ required: true }) branch: string,
    @MessageQuery() message: string,
    @ShaQuery() sha: string,
  ): Promise<void> {
    await this.writer.deleteFile(projectId, repoAuth, repo, { path, branch, message, sha });
  }
}
