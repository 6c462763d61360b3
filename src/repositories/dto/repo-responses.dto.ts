import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  EXAMPLE_HOOK_ID,
  EXAMPLE_HOOK_URL,
  EXAMPLE_NEW_TAG,
  EXAMPLE_REPOSITORY,
  SANDBOX_LOGIN,
} from '../../git-auth/dto/examples';
import type {
  ProjectDetail,
  RepoCommit,
  RepoFile,
  RepoHook,
  RepoNamespace,
  RepoProject,
} from '../../git-auth/providers/repo-api/repo-model';

/**
 * The answers of the repository operations, field for field as ServiceStage's SDK models them; schema names are
 * the official SDK's model names. Examples are the sandbox's (src/git-auth/dto/examples.ts).
 */

@ApiSchema({ name: 'NamespacesNamespaces' })
export class NamespaceDto {
  @ApiProperty({
    description: 'Namespace id, the value of {namespace} (GitLab: full path with ":" for "/")',
    example: SANDBOX_LOGIN,
  })
  id!: string;

  @ApiProperty({ description: 'Display name', example: SANDBOX_LOGIN })
  name!: string;
}

@ApiSchema({ name: 'ListNamespacesResponse' })
export class NamespaceListDto {
  @ApiProperty({
    type: [NamespaceDto],
    description: "Every namespace the authorization can see: the account's own first",
  })
  namespaces!: NamespaceDto[];
}

@ApiSchema({ name: 'ShowProjectDetailResponse' })
export class ProjectDetailDto {
  @ApiProperty({ example: SANDBOX_LOGIN })
  namespace_id!: string;

  @ApiProperty({ example: SANDBOX_LOGIN })
  namespace!: string;

  @ApiProperty({
    description: 'Project id, the value of {project} (GitLab: the numeric id)',
    example: EXAMPLE_REPOSITORY,
  })
  project_id!: string;

  @ApiProperty({ example: 'Hello World' })
  project!: string;
}

@ApiSchema({ name: 'Project' })
export class ProjectDto {
  @ApiProperty({ description: 'Project id, the value of {project}', example: EXAMPLE_REPOSITORY })
  id!: string;

  @ApiProperty({ example: 'Hello World' })
  name!: string;

  @ApiProperty({
    description: 'HTTPS clone URL, never with credentials',
    example: `https://github.com/${SANDBOX_LOGIN}/${EXAMPLE_REPOSITORY}.git`,
  })
  clone_url!: string;
}

@ApiSchema({ name: 'ListProjectsResponse' })
export class ProjectListDto {
  @ApiProperty({ type: [ProjectDto] })
  projects!: ProjectDto[];
}

@ApiSchema({ name: 'ListBranchesResponse' })
export class BranchListDto {
  @ApiProperty({ type: [String], example: ['develop', 'main'] })
  branches!: string[];
}

@ApiSchema({ name: 'ListTagsResponse' })
export class TagListDto {
  @ApiProperty({ type: [String], example: ['v1.0.0'] })
  tags!: string[];
}

@ApiSchema({ name: 'CommitsCommits' })
export class CommitDto {
  @ApiProperty({ example: '6dcb09b5b57875f334f61aebed695e2e4193db5e' })
  sha!: string;

  @ApiProperty({
    description: 'The full commit message',
    example: 'Add a Dockerfile',
  })
  message!: string;

  @ApiProperty({ description: 'Author date, RFC 3339 in UTC', example: '2024-05-01T08:30:00Z' })
  authored_date!: string;
}

@ApiSchema({ name: 'ListCommitsResponse' })
export class CommitListDto {
  @ApiProperty({ type: [CommitDto], description: 'The latest 10 commits, newest first' })
  commits!: CommitDto[];
}

@ApiSchema({ name: 'ListTreesResponse' })
export class TreeDto {
  @ApiProperty({
    type: [String],
    description: 'Every file (no directories, no submodules), as a "/" path from the root',
    example: ['CHANGELOG.md', 'Dockerfile', 'README.md', 'src/main/App.java'],
  })
  paths!: string[];
}

@ApiSchema({ name: 'ShowContentResponse' })
export class FileContentDto {
  @ApiProperty({ description: 'The path, with "/"', example: 'src/main/App.java' })
  path!: string;

  @ApiProperty({
    description: 'The git blob SHA of the file (what updateFile and deleteFile take)',
    example: '17f58c78fe1a44dbbda7ebb7e19205656ecbfbe6',
  })
  sha!: string;

  @ApiProperty({ enum: ['base64'], example: 'base64' })
  encoding!: 'base64';

  @ApiProperty({
    description: 'The content, base64 without line breaks',
    example:
      'cHVibGljIGNsYXNzIEFwcCB7CiAgcHVibGljIHN0YXRpYyB2b2lkIG1haW4oU3RyaW5nW10gYXJncykge30KfQo=',
  })
  content!: string;
}

@ApiSchema({ name: 'CreateTagResponse' })
export class TagCreatedDto {
  @ApiProperty({ description: 'The tag created', example: EXAMPLE_NEW_TAG })
  name!: string;
}

@ApiSchema({ name: 'Hook' })
export class HookDto {
  @ApiProperty({
    description: "Hook id, the value of {hook_id} (Bitbucket: the hook's {uuid}, braces included)",
    example: EXAMPLE_HOOK_ID,
  })
  id!: string;

  @ApiProperty({ description: "The authorization's repo type", example: 'github' })
  type!: string;

  @ApiProperty({ description: 'Delivery URL', example: EXAMPLE_HOOK_URL })
  callback_url!: string;
}

@ApiSchema({ name: 'ListHooksResponse' })
export class HookListDto {
  @ApiProperty({ type: [HookDto], description: "The repository's webhooks (never their secrets)" })
  hooks!: HookDto[];
}

@ApiSchema({ name: 'FileWrittenResponse' })
export class FileWrittenDto {
  @ApiProperty({ description: 'The path written, with "/"', example: 'docs/hello.md' })
  path!: string;
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

export const toHook = (type: string, hook: RepoHook): HookDto => ({
  id: hook.id,
  type,
  callback_url: hook.url,
});

export const toProject = (p: RepoProject): ProjectDto => ({
  id: p.id,
  name: p.name,
  clone_url: p.cloneUrl,
});
