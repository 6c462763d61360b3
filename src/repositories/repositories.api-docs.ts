import { applyDecorators } from '@nestjs/common';
import {
  ApiHeader,
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
  EXAMPLE_FILE_PATH,
  EXAMPLE_PROJECT_ID,
  EXAMPLE_REF,
  EXAMPLE_REPOSITORY,
  SANDBOX_LOGIN,
} from '../git-auth/dto/examples';
import { REPO_TYPES } from '../git-auth/providers/registered-providers';
import {
  BranchListDto,
  CommitListDto,
  FileContentDto,
  NamespaceListDto,
  ProjectDetailDto,
  ProjectListDto,
  TagListDto,
  TreeDto,
} from './dto/repo-responses.dto';

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
