import type { RepositoryOperation } from '../http/provider-telemetry';
import type { ApiTarget, ProviderCredential } from '../repo-provider.strategy';

/**
 * What repository operations see of a provider, whoever it is: the provider-neutral shapes the strategies map
 * their answers to, and what a strategy needs to make a call.
 */

/** A user, organization, group or workspace that holds repositories. */
export interface RepoNamespace {
  /** What `{namespace}` takes (GitHub login, GitLab full path, Gitee path, Bitbucket workspace slug). */
  readonly id: string;
  readonly name: string;
}

export interface RepoProject {
  /** What `{project}` takes (a path or slug; GitLab's numeric id). */
  readonly id: string;
  readonly name: string;
  /** HTTPS clone URL, without credentials. */
  readonly cloneUrl: string;
}

export interface ProjectDetail {
  readonly namespaceId: string;
  readonly namespace: string;
  readonly projectId: string;
  readonly project: string;
}

export interface RepoCommit {
  readonly sha: string;
  readonly message: string;
  /** RFC 3339 in UTC. */
  readonly authoredDate: string;
}

export interface RepoFile {
  /** `/`-separated, from the repository root. */
  readonly path: string;
  /** The git blob SHA of the content. */
  readonly sha: string;
  readonly content: Buffer;
}

/**
 * A repository as a request names it: `namespace` is a `/`-separated path (GitLab subgroups), `project` a path or
 * slug, or on GitLab a numeric project id.
 */
export interface ProjectRef {
  readonly namespace: string;
  readonly project: string;
}

export type RefKind = 'branches' | 'tags';

/** A repository webhook; its secret is write-only and never read back. */
export interface RepoHook {
  /** What `{hook_id}` takes (a number as a string; Bitbucket's `{uuid}` with its braces). */
  readonly id: string;
  readonly url: string;
}

/** A webhook to register: push events (tag pushes included), TLS verification on. */
export interface NewHook {
  readonly url: string;
  /** Goes to the provider only; never logged, stored or returned. */
  readonly secret: string;
}

/** An annotated tag (lightweight where the provider has no other kind) on what `ref` names. */
export interface NewTag {
  readonly name: string;
  readonly ref: string;
  readonly message: string;
}

/** A commit that writes one file on `branch`. */
export interface FileCommit {
  readonly path: string;
  readonly branch: string;
  readonly message: string;
}

/** createFile: the file must not exist yet. */
export interface NewFile extends FileCommit {
  readonly content: Buffer;
}

/** updateFile: `sha` is the blob SHA the caller read; another one is a conflict and nothing is written. */
export interface FileUpdate extends NewFile {
  readonly sha: string;
}

/** deleteFile, under the same rule as FileUpdate. */
export interface FileDeletion extends FileCommit {
  readonly sha: string;
}

export interface RepoLimits {
  /** REPO_LIST_MAX_ITEMS: lists stop there (with a warning). */
  readonly maxListItems: number;
  /** REPO_MAX_FILE_BYTES: larger files are refused. */
  readonly maxFileBytes: number;
}

/** Everything a strategy needs to act on repositories for one authorization. */
export interface RepoContext {
  readonly target: ApiTarget;
  readonly credential: ProviderCredential;
  /** The account's login at the provider (whose own namespace is special at some providers). */
  readonly login: string;
  readonly limits: RepoLimits;
  /** The operation the calls are made for (labels their metrics and traces). */
  readonly operation: RepositoryOperation;
}
