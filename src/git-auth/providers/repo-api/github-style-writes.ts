import { ProviderAnswerError } from '../provider-errors';
import { encodePath, field, listOf, text } from './answers';
import { repoPath, whenNotEmpty } from './github-style';
import type { NextPage } from './paging';
import type { ProviderApi, Query, WriteMethod } from './provider-api';
import { hookExists, noSuchFile, notAFile, staleSha } from './repo-errors';
import type {
  FileDeletion,
  FileUpdate,
  NewFile,
  ProjectRef,
  RepoHook,
  RepoProject,
} from './repo-model';

/**
 * The write routes GitHub's REST API defined and Gitee and Gitea copied (`POST /user/repos`,
 * `…/hooks`, `…/contents/{path}`), with what each strategy says where they differ.
 */

/** Where the providers differ on these routes. */
export interface GitHubStyleWrites {
  readonly paging: { readonly query: Query; readonly next: NextPage };
  /** Where a hook's URL is in its answers: GitHub and Gitea `config.url`, Gitee `url`. */
  readonly hookUrl: readonly string[];
  /** GitHub creates a file with PUT (the same route updates it), Gitee and Gitea with POST. */
  readonly createFileMethod: WriteMethod;
}

/** A repository answer as listProjects shows it. */
export function projectOf(json: unknown): RepoProject {
  return { id: text(json, 'name'), name: text(json, 'name'), cloneUrl: text(json, 'clone_url') };
}

/** `POST /user/repos` in the user's own namespace, `POST /orgs/{org}/repos` in an organization's (private). */
export async function createRepository(
  api: ProviderApi,
  namespace: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  const own = namespace.toLowerCase() === api.ctx.login.toLowerCase();
  const path = own ? '/user/repos' : `/orgs/${encodeURIComponent(namespace)}/repos`;
  return (await api.write('POST', path, { json: body })).json;
}

export function listRepoHooks(
  api: ProviderApi,
  repo: ProjectRef,
  style: GitHubStyleWrites,
): Promise<RepoHook[]> {
  return api.collect(
    api.url(repoPath(repo, '/hooks'), style.paging.query),
    (json) => listOf(json).map((h) => hookOf(h, style)),
    style.paging.next,
  );
}

export function hookOf(json: unknown, style: GitHubStyleWrites): RepoHook {
  return { id: text(json, 'id'), url: text(json, ...style.hookUrl) };
}

/** The first check of createHook everywhere: a hook with the same URL is "already exists". */
export function refuseDuplicateHook(api: ProviderApi, hooks: readonly RepoHook[], url: string) {
  const same = hooks.find((h) => h.url === url);
  if (same) throw hookExists(api.provider, same.id);
}

/** Numeric hook ids only; anything else cannot name a hook here. */
export function numericHookId(id: string): string {
  if (!/^\d+$/.test(id))
    throw new ProviderAnswerError(404, 'hook ids are numbers', undefined, false);
  return id;
}

export function contentsPath(repo: ProjectRef, path: string): string {
  return repoPath(repo, `/contents/${encodePath(path)}`);
}

/**
 * The blob SHA of the file at `path` on `branch`, or undefined when there is none (a directory or submodule is
 * refused): what updateFile and deleteFile compare with the caller's `sha` before writing anything.
 */
export async function currentBlob(
  api: ProviderApi,
  repo: ProjectRef,
  path: string,
  branch: string,
): Promise<string | undefined> {
  let json: unknown;
  try {
    json = await whenNotEmpty(
      api.getFileJson(api.url(contentsPath(repo, path), { ref: branch }), path),
    );
  } catch (error) {
    if (error instanceof ProviderAnswerError && error.status === 404) return undefined;
    throw error;
  }
  // Gitee answers a path that is not there with an empty list (git has no empty directories).
  if (Array.isArray(json) && json.length === 0) return undefined;
  if (Array.isArray(json)) throw notAFile(path);
  const type = field(json, 'type');
  if (type !== 'file' && type !== 'symlink') throw notAFile(path);
  return text(json, 'sha');
}

/** The file must be there with the caller's blob SHA: else 0456 or 0409, and nothing is written. */
export async function expectBlob(
  api: ProviderApi,
  repo: ProjectRef,
  file: { readonly path: string; readonly branch: string; readonly sha: string },
): Promise<void> {
  const sha = await currentBlob(api, repo, file.path, file.branch);
  if (sha === undefined) throw noSuchFile(file.path, file.branch);
  if (sha.toLowerCase() !== file.sha) throw staleSha(file.path);
}

export async function createContents(
  api: ProviderApi,
  repo: ProjectRef,
  file: NewFile,
  style: GitHubStyleWrites,
): Promise<void> {
  await api.write(style.createFileMethod, contentsPath(repo, file.path), {
    json: { message: file.message, content: file.content.toString('base64'), branch: file.branch },
  });
}

/** The provider checks `sha` again when it writes: a change in between is its conflict. */
export async function updateContents(
  api: ProviderApi,
  repo: ProjectRef,
  file: FileUpdate,
): Promise<void> {
  await expectBlob(api, repo, file);
  await api.write('PUT', contentsPath(repo, file.path), {
    json: {
      message: file.message,
      content: file.content.toString('base64'),
      sha: file.sha,
      branch: file.branch,
    },
  });
}

/** GitHub and Gitea take DELETE with a JSON body. */
export async function deleteContents(
  api: ProviderApi,
  repo: ProjectRef,
  file: FileDeletion,
): Promise<void> {
  await expectBlob(api, repo, file);
  await api.write('DELETE', contentsPath(repo, file.path), {
    json: { message: file.message, sha: file.sha, branch: file.branch },
  });
}
