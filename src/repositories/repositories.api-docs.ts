import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-error-responses';
import type { ErrorKey } from '../common/errors/error-codes';
import { AUTHORIZATION_NAME_PATTERN } from '../git-auth/domain/names';
import {
  EXAMPLE_AUTHORIZATION_NAME,
  EXAMPLE_CLONE_URL,
  EXAMPLE_DELETED_FILE_PATH,
  EXAMPLE_DELETED_FILE_SHA,
  EXAMPLE_EXISTING_TAG,
  EXAMPLE_FILE_PATH,
  EXAMPLE_HOOK_ID,
  EXAMPLE_NEW_FILE_PATH,
  EXAMPLE_PROJECT_ID,
  EXAMPLE_REF,
  EXAMPLE_REPOSITORY,
  SANDBOX_LOGIN,
} from '../git-auth/dto/examples';
import { REPO_TYPES } from '../git-auth/providers/registered-providers';
import { MAX_QUERY_MESSAGE } from './domain/write-rules';
import {
  BranchListDto,
  CommitListDto,
  FileContentDto,
  FileWrittenDto,
  HookDto,
  HookListDto,
  NamespaceListDto,
  ProjectDetailDto,
  ProjectDto,
  ProjectListDto,
  TagCreatedDto,
  TagListDto,
  TreeDto,
} from './dto/repo-responses.dto';
import {
  CreateFileBody,
  CreateHookBody,
  CreateProjectBody,
  CreateTagBody,
  UpdateFileBody,
} from './dto/write-bodies.dto';

/**
 * The OpenAPI description of the repository operations (ServiceStage's SDK operation ids), one composed
 * decorator each. The examples (src/git-auth/dto/examples.ts) name the sandbox user's repository through the
 * GitHub authorization the personal-token example creates: executing them against `npm run start:local` works.
 */

export const REPOS_TAG = 'git repositories';
export const FILES_TAG = 'git repository files';

/** What every repository operation can answer besides its own errors. */
const COMMON_ERRORS: ErrorKey[] = [
  'INVALID_PARAMETER',
  'REPO_TYPE_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'AUTHORIZATION_NOT_FOUND',
  'AUTHORIZATION_INVALID',
  'PROVIDER_NOT_CONFIGURED',
  'HOST_NOT_ALLOWED',
  'PROVIDER_FORBIDDEN',
  'REPO_NOT_FOUND',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'INTERNAL',
];

const PATH_RULE =
  'unencoded, every "/" written ":" (a percent-encoded "/" works too); no empty, "." or ".." segments, at most 1,024 characters';

const NAMESPACE_PARAM = ApiParam({
  name: 'namespace',
  description: `Namespace id from listNamespaces (GitHub/Gitea login or organization, GitLab full path, Gitee path, Bitbucket workspace); ${PATH_RULE}`,
  example: SANDBOX_LOGIN,
});
const PROJECT_PARAM = ApiParam({
  name: 'project',
  description: `Project id from listProjects (the repository's path or slug; GitLab: its numeric id), or its full path with ":" for "/" (then {namespace} is a prefix of it); ${PATH_RULE}`,
  example: EXAMPLE_REPOSITORY,
});
const refQuery = (required: boolean, description: string) =>
  ApiQuery({ name: 'ref', required, description, example: EXAMPLE_REF });

function operation(
  operationId: string,
  summary: string,
  description: string,
  ...errors: ErrorKey[]
): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId, summary, description }),
    ApiErrors(...COMMON_ERRORS, ...errors),
  );
}

export const RepositoriesApi = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiParam({
      name: 'project_id',
      description: 'ServiceStage project id',
      example: EXAMPLE_PROJECT_ID,
    }),
    ApiHeader({
      name: 'X-Repo-Auth',
      required: true,
      description:
        `The name of a stored authorization of this project (\`GET /v1/{project_id}/git/auths\`) whose account acts at its provider (${REPO_TYPES.join(', ')}). ` +
        'An expiring token is refreshed first; a token the provider refuses marks the authorization (status 1 or 2) and answers SVCSTG.REPO.0451.',
      schema: {
        type: 'string',
        pattern: AUTHORIZATION_NAME_PATTERN.source,
        example: EXAMPLE_AUTHORIZATION_NAME,
      },
    }),
  );

const LIST_NOTE =
  "Complete: the provider's pages are followed to the end, up to REPO_LIST_MAX_ITEMS.";

export const ListNamespacesApi = () =>
  applyDecorators(
    operation(
      'listNamespaces',
      'List the namespaces the authorization can see',
      "The account's own namespace first, then its organizations, groups or workspaces. " +
        LIST_NOTE,
    ),
    ApiOkResponse({ type: NamespaceListDto, description: 'The namespaces' }),
  );

export const ShowProjectDetailApi = () =>
  applyDecorators(
    operation(
      'showProjectDetail',
      'Find a repository by its clone URL',
      'Accepts `https://host/namespace/repo.git` (user info ignored), `ssh://git@host/namespace/repo.git` and ' +
        "`git@host:namespace/repo.git` on the authorization's server; anything else is SVCSTG.REPO.0452.",
      'CLONE_URL_INVALID',
    ),
    ApiQuery({
      name: 'clone_url',
      required: true,
      description: "The repository's clone URL (URL-encoded in the query)",
      example: EXAMPLE_CLONE_URL,
    }),
    ApiOkResponse({ type: ProjectDetailDto, description: 'The repository the clone URL names' }),
  );

export const ListProjectsApi = () =>
  applyDecorators(
    operation(
      'listProjects',
      'List the repositories of a namespace',
      'The repositories of the namespace that the authorization can read, with HTTPS clone URLs (never with ' +
        'credentials). ' +
        LIST_NOTE,
    ),
    NAMESPACE_PARAM,
    ApiOkResponse({ type: ProjectListDto, description: "The namespace's repositories" }),
  );

const repoOperation = (operationId: string, summary: string, description: string) =>
  applyDecorators(operation(operationId, summary, description), NAMESPACE_PARAM, PROJECT_PARAM);

export const ListBranchesApi = () =>
  applyDecorators(
    repoOperation(
      'listBranches',
      'List every branch name',
      `An empty repository has none. ${LIST_NOTE}`,
    ),
    ApiOkResponse({ type: BranchListDto, description: 'Every branch name' }),
  );

export const ListTagsApi = () =>
  applyDecorators(
    repoOperation('listTags', 'List every tag name', LIST_NOTE),
    ApiOkResponse({ type: TagListDto, description: 'Every tag name' }),
  );

export const ListCommitsApi = () =>
  applyDecorators(
    repoOperation(
      'listCommits',
      'List the latest 10 commits of a branch or tag',
      'Newest first, with the full message and the author date in RFC 3339 UTC. An empty repository has none.',
    ),
    refQuery(false, 'Branch or tag (or SHA); without it, the default branch'),
    ApiOkResponse({ type: CommitListDto, description: 'The latest commits, newest first' }),
  );

export const ListTreesApi = () =>
  applyDecorators(
    repoOperation(
      'listTrees',
      'List every file of the repository at a ref',
      'Files only (no directories, no submodules), walked recursively, as "/" paths. ' + LIST_NOTE,
    ),
    refQuery(true, 'Branch, tag or commit SHA'),
    ApiOkResponse({ type: TreeDto, description: 'Every file path' }),
  );

export const ShowContentApi = () =>
  applyDecorators(
    operation(
      'showContent',
      "Read a file's content at a ref",
      'The content in base64 and the blob SHA. A directory or submodule is SVCSTG.REPO.0400; a file larger ' +
        'than REPO_MAX_FILE_BYTES SVCSTG.REPO.0458. A file named `trees` at the root cannot be read here (that ' +
        'path is listTrees).',
      'FILE_TOO_LARGE',
    ),
    NAMESPACE_PARAM,
    PROJECT_PARAM,
    ApiParam({
      name: 'path',
      description: `The file's path, ${PATH_RULE}: \`src:main:App.java\` for src/main/App.java`,
      example: EXAMPLE_FILE_PATH,
    }),
    refQuery(true, 'Branch, tag or commit SHA'),
    ApiOkResponse({ type: FileContentDto, description: "The file's content and blob SHA" }),
  );

// ---- writes ---------------------------------------------------------------------------------------------

/** What a write can answer besides the common errors: its body, conflicts, and an audit trail that fails (503). */
const BODY_ERRORS: ErrorKey[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
const AUDITED =
  ' Recorded in the audit trail before the provider is called; if it cannot be recorded, nothing is done (503).';

const writeOperation = (
  operationId: string,
  summary: string,
  description: string,
  ...errors: ErrorKey[]
) =>
  applyDecorators(
    operation(operationId, summary, description + AUDITED, ...errors),
    NAMESPACE_PARAM,
    PROJECT_PARAM,
  );

const filePathParam = (example: string) =>
  ApiParam({
    name: 'path',
    description: `The file's path, ${PATH_RULE}: \`docs:hello.md\` for docs/hello.md`,
    example,
  });

const BRANCH_REF =
  'The branch to commit to (a tag or SHA is refused by the provider: SVCSTG.REPO.0400)';

export const CreateProjectApi = () =>
  applyDecorators(
    operation(
      'createProject',
      'Create a private repository in a namespace',
      "In the user's own namespace or an organization, group or workspace. A name already taken is " +
        'SVCSTG.REPO.0403.' +
        AUDITED,
      'ALREADY_EXISTS',
      ...BODY_ERRORS,
    ),
    NAMESPACE_PARAM,
    ApiBody({ type: CreateProjectBody }),
    ApiOkResponse({ type: ProjectDto, description: 'The repository created (200, not 201)' }),
  );

export const CreateTagApi = () =>
  applyDecorators(
    writeOperation(
      'createTag',
      'Create a tag',
      'An annotated tag with the description as its message (Bitbucket: lightweight, the description is ' +
        'dropped) on what `ref` names. A tag that exists is SVCSTG.REPO.0403.',
      'ALREADY_EXISTS',
      ...BODY_ERRORS,
    ),
    refQuery(true, 'Branch, tag or commit SHA the tag will point at'),
    ApiBody({ type: CreateTagBody }),
    ApiOkResponse({ type: TagCreatedDto, description: 'The tag created (200, not 201)' }),
  );

export const DeleteTagApi = () =>
  applyDecorators(
    writeOperation(
      'deleteTag',
      'Delete a tag',
      'An unknown tag, or one already deleted, is SVCSTG.REPO.0456. Gitee has no API to delete a tag: ' +
        'SVCSTG.REPO.0401 there.',
    ),
    ApiParam({
      name: 'tag_name',
      description: 'The tag name from listTags; a "/" in it written ":" (or %2F)',
      example: EXAMPLE_EXISTING_TAG,
    }),
    ApiNoContentResponse({ description: 'Deleted' }),
  );

export const ListHooksApi = () =>
  applyDecorators(
    repoOperation(
      'listHooks',
      "List the repository's webhooks",
      'Needs repository admin rights (GitLab: Maintainer); without them SVCSTG.REPO.0455 (GitHub hides the ' +
        'repository instead: 0456). Secrets are never shown. ' +
        LIST_NOTE,
    ),
    ApiOkResponse({ type: HookListDto, description: 'The webhooks' }),
  );

export const CreateHookApi = () =>
  applyDecorators(
    writeOperation(
      'createHook',
      'Register a webhook for pushes',
      'Push events, tag pushes included, TLS verification on. The secret goes to the provider only (GitHub, ' +
        'Gitea, Bitbucket sign deliveries with it; GitLab sends it back as X-Gitlab-Token; Gitee signs). A hook ' +
        'with the same URL already registered is SVCSTG.REPO.0403, at every provider.',
      'ALREADY_EXISTS',
      ...BODY_ERRORS,
    ),
    ApiBody({ type: CreateHookBody }),
    ApiOkResponse({ type: HookDto, description: 'The hook registered (200, not 201)' }),
  );

export const DeleteHookApi = () =>
  applyDecorators(
    writeOperation(
      'deleteHook',
      'Delete a webhook',
      'An unknown hook, or one already deleted, is SVCSTG.REPO.0456.',
    ),
    ApiParam({
      name: 'hook_id',
      description: 'The hook id from listHooks (Bitbucket: the {uuid}, with or without its braces)',
      example: EXAMPLE_HOOK_ID,
    }),
    ApiNoContentResponse({ description: 'Deleted' }),
  );

export const CreateFileApi = () =>
  applyDecorators(
    writeOperation(
      'createFile',
      'Create a file in a commit on a branch',
      "A file that exists is SVCSTG.REPO.0403; a branch that does not, SVCSTG.REPO.0456 (or the provider's " +
        '0400). Bytes are written exactly as decoded from `content`.',
      'ALREADY_EXISTS',
      ...BODY_ERRORS,
    ),
    filePathParam(EXAMPLE_NEW_FILE_PATH),
    refQuery(true, BRANCH_REF),
    ApiBody({ type: CreateFileBody }),
    ApiOkResponse({ type: FileWrittenDto, description: 'The file created (200, not 201)' }),
  );

export const UpdateFileApi = () =>
  applyDecorators(
    writeOperation(
      'updateFile',
      "Replace a file's content in a commit on a branch",
      '`sha` must be the blob SHA showContent returned: if the file changed since, SVCSTG.REPO.0409 and nothing ' +
        'is written. A missing file is SVCSTG.REPO.0456.',
      'STALE_SHA',
      ...BODY_ERRORS,
    ),
    filePathParam(EXAMPLE_FILE_PATH),
    refQuery(true, BRANCH_REF),
    ApiBody({ type: UpdateFileBody }),
    ApiOkResponse({ type: FileWrittenDto, description: 'The file updated' }),
  );

export const DeleteFileApi = () =>
  applyDecorators(
    writeOperation(
      'deleteFile',
      'Delete a file in a commit on a branch',
      '`sha` must be the blob SHA showContent returned: if the file changed since, SVCSTG.REPO.0409 and nothing ' +
        'is deleted. A missing file (or one already deleted) is SVCSTG.REPO.0456.',
      'STALE_SHA',
    ),
    filePathParam(EXAMPLE_DELETED_FILE_PATH),
    refQuery(true, BRANCH_REF),
    ApiQuery({
      name: 'message',
      required: true,
      description: `Commit message (URL-encoded; at most ${MAX_QUERY_MESSAGE} characters)`,
      example: 'Remove the Dockerfile',
    }),
    ApiQuery({
      name: 'sha',
      required: true,
      description: 'The blob SHA showContent returned',
      example: EXAMPLE_DELETED_FILE_SHA,
    }),
    ApiNoContentResponse({ description: 'Deleted' }),
  );
