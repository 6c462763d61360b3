import { ApiProperty } from '@nestjs/swagger';
import type {
  ProjectDetail,
  RepoCommit,
  RepoFile,
  RepoNamespace,
  RepoProject,
} from '../../git-auth/providers/repo-api/repo-model';

/** The answers of the repository operations, field for field as ServiceStage's SDK models them. */

export class NamespaceDto {
  @ApiProperty({
    description: 'Namespace id, the value of {namespace} (GitLab: full path with ":" for "/")',
    example: 'octocat',
  })
  id!: string;

  @ApiProperty({ description: 'Display name', example: 'octocat' })
  name!: string;
}

export class NamespaceListDto {
  @ApiProperty({
    type: [NamespaceDto],
    description: "Every namespace the authorization can see: the account's own first",
  })
  namespaces!: NamespaceDto[];
}

export class ProjectDetailDto {
  @ApiProperty({ example: 'octocat' })
  namespace_id!: string;

  @ApiProperty({ example: 'octocat' })
  namespace!: string;

  @ApiProperty({
    description: 'Project id, the value of {project} (GitLab: the numeric id)',
    example: 'Hello-World',
  })
  project_id!: string;

  @ApiProperty({ example: 'Hello-World' })
  project!: string;
}

export class ProjectDto {
  @ApiProperty({ description: 'Project id, the value of {project}', example: 'Hello-World' })
  id!: string;

  @ApiProperty({ example: 'Hello-World' })
  name!: string;

  @ApiProperty({
    description: 'HTTPS clone URL, never with credentials',
    example: 'https://github.com/octocat/Hello-World.git',
  })
  clone_url!: string;
}

export class ProjectListDto {
  @ApiProperty({ type: [ProjectDto] })
  projects!: ProjectDto[];
}

export class BranchListDto {
  @ApiProperty({ type: [String], example: ['master', 'octocat-patch-1', 'test'] })
  branches!: string[];
}

export class TagListDto {
  @ApiProperty({ type: [String], example: ['v1.0.0', 'release/2024-05'] })
  tags!: string[];
}

export class CommitDto {
  @ApiProperty({ example: '7fd1a60b01f91b314f59955a4e4d4e80d8edf11d' })
  sha!: string;

  @ApiProperty({
    description: 'The full commit message',
    example: 'Merge pull request #6 from Spaceghost/patch-1\n\nNew line at end of file.',
  })
  message!: string;

  @ApiProperty({ description: 'Author date, RFC 3339 in UTC', example: '2012-03-06T23:06:50Z' })
  authored_date!: string;
}

export class CommitListDto {
  @ApiProperty({ type: [CommitDto], description: 'The latest 10 commits, newest first' })
  commits!: CommitDto[];
}

export class TreeDto {
  @ApiProperty({
    type: [String],
    description: 'Every file (no directories, no submodules), as a "/" path from the root',
    example: ['README'],
  })
  paths!: string[];
}

export class FileContentDto {
  @ApiProperty({ description: 'The path, with "/"', example: 'README' })
  path!: string;

  @ApiProperty({
    description: 'The git blob SHA of the file (what updateFile and deleteFile take)',
    example: '980a0d5f19a64b4b30a87d4206aade58726b60e3',
  })
  sha!: string;

  @ApiProperty({ enum: ['base64'], example: 'base64' })
  encoding!: 'base64';

  @ApiProperty({
    description: 'The content, base64 without line breaks',
    example: 'SGVsbG8gV29ybGQhCg==',
  })
  content!: string;
}

export const toNamespaceList = (namespaces: RepoNamespace[]): NamespaceListDto => ({
  namespaces: namespaces.map(({ id, name }) => ({ id, name })),
});

export const toProjectDetail = (p: ProjectDetail): ProjectDetailDto => ({
  namespace_id: p.namespaceId,
  namespace: p.namespace,
  project_id: p.projectId,
  project: p.project,
});

export const toProjectList = (projects: RepoProject[]): ProjectListDto => ({
  projects: projects.map((p) => ({ id: p.id, name: p.name, clone_url: p.cloneUrl })),
});

export const toCommitList = (commits: RepoCommit[]): CommitListDto => ({
  commits: commits.map((c) => ({ sha: c.sha, message: c.message, authored_date: c.authoredDate })),
});

export const toFileContent = (file: RepoFile): FileContentDto => ({
  path: file.path,
  sha: file.sha,
  encoding: 'base64',
  content: file.content.toString('base64'),
});
