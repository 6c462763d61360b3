import { ProviderAnswerError } from '../provider-errors';
import { field, listOf, optionalText, text } from './answers';
import { toUtcTimestamp } from './dates';
import type { NextPage } from './paging';
import type { ProviderApi, Query } from './provider-api';
import { fileTooLarge, notAFile } from './repo-errors';
import type {
  ProjectDetail,
  ProjectRef,
  RefKind,
  RepoCommit,
  RepoFile,
  RepoProject,
} from './repo-model';

/**
 * The repository routes GitHub's REST API defined and Gitee and Gitea copied (`/repos/{owner}/{repo}/branches`,
 * `/commits?sha=`, `/contents/{path}`, `/git/trees/{sha}`), with the same answer shapes. Each strategy says how
 * it pages and where it departs from them.
 */

export const COMMITS_SHOWN = 10;

/** How a provider pages a list: its page-size parameter and next-page rule. */
export interface Paging {
  readonly query: Query;
  readonly next: NextPage;
}

export function repoPath(repo: ProjectRef, suffix = ''): string {
  return `/repos/${encodeURIComponent(repo.namespace)}/${encodeURIComponent(repo.project)}${suffix}`;
}

export function listRefNames(
  api: ProviderApi,
  repo: ProjectRef,
  kind: RefKind,
  paging: Paging,
): Promise<string[]> {
  return api.collect(
    api.url(repoPath(repo, `/${kind}`), paging.query),
    (json) => listOf(json).map((ref) => text(ref, 'name')),
    paging.next,
  );
}

/** `GET …/commits?sha=`: newest first; an empty repository answers 409 ("Git Repository is empty"). */
export async function listCommitsOf(
  api: ProviderApi,
  repo: ProjectRef,
  ref: string | undefined,
  pageSize: Query,
): Promise<RepoCommit[]> {
  let json: unknown;
  try {
    json = await api.getJson(repoPath(repo, '/commits'), { query: { sha: ref, ...pageSize } });
  } catch (error) {
    if (error instanceof ProviderAnswerError && error.status === 409) return [];
    throw error;
  }
  return listOf(json)
    .slice(0, COMMITS_SHOWN)
    .map((c) => ({
      sha: text(c, 'sha'),
      message: text(c, 'commit', 'message'),
      authoredDate: toUtcTimestamp(field(c, 'commit', 'author', 'date')),
    }));
}

/** What a contents answer holds: the file, or only its metadata when the content is not inline (too large). */
export type ContentsAnswer =
  | { readonly inline: true; readonly file: RepoFile }
  | { readonly inline: false; readonly path: string; readonly sha: string };

/**
 * Reads `GET …/contents/{path}`: an array is a directory; `type` says file, symlink, dir or submodule; `size`
 * is checked against the limit before any content is decoded; `content` is base64 with line breaks.
 */
export function readContents(json: unknown, path: string, maxBytes: number): ContentsAnswer {
  if (Array.isArray(json)) throw notAFile(path);
  const type = text(json, 'type');
  if (type !== 'file' && type !== 'symlink') throw notAFile(path);
  const size = field(json, 'size');
  if (typeof size === 'number' && size > maxBytes) throw fileTooLarge(path, maxBytes);
  const sha = text(json, 'sha');
  const shownPath = optionalText(json, 'path') ?? path;
  const content = field(json, 'content');
  if (
    field(json, 'encoding') !== 'base64' ||
    typeof content !== 'string' ||
    (content === '' && size !== 0)
  )
    return { inline: false, path: shownPath, sha };
  const bytes = Buffer.from(content.replace(/\s+/g, ''), 'base64');
  if (bytes.length > maxBytes) throw fileTooLarge(path, maxBytes);
  return { inline: true, file: { path: shownPath, sha, content: bytes } };
}

/** The blob paths of a tree answer's entries, and its sub-trees (sha, path/), under `prefix`. */
export function blobs(
  json: unknown,
  prefix: string,
): { files: string[]; trees: [string, string][] } {
  const files: string[] = [];
  const trees: [string, string][] = [];
  for (const entry of listOf(json, 'tree')) {
    const type = text(entry, 'type');
    const path = `${prefix}${text(entry, 'path')}`;
    if (type === 'blob') files.push(path);
    else if (type === 'tree') trees.push([text(entry, 'sha'), `${path}/`]);
  }
  return { files, trees };
}

/**
 * Every file of the tree at `ref` from `GET …/git/trees/{ref}?recursive=1`. A provider truncates a recursive
 * answer that is too large (GitHub: 100,000 entries or 7 MB): then the tree is read one directory at a time,
 * up to REPO_LIST_MAX_ITEMS.
 */
export async function listTreeFiles(
  api: ProviderApi,
  repo: ProjectRef,
  ref: string,
): Promise<string[]> {
  const max = api.ctx.limits.maxListItems;
  const trees = repoPath(repo, '/git/trees');
  const root = await api.getJson(`${trees}/${encodeURIComponent(ref)}`, {
    query: { recursive: 1 },
    maxBytes: TREE_MAX_BYTES,
  });
  if (field(root, 'truncated') !== true) {
    const { files } = blobs(root, '');
    if (files.length > max) api.warnTruncated(`${trees}/…`);
    return files.slice(0, max);
  }
  const files: string[] = [];
  const pending: [string, string][] = [[text(root, 'sha'), '']];
  for (let next = pending.shift(); next; next = pending.shift()) {
    const json = await api.getJson(`${trees}/${encodeURIComponent(next[0])}`, {
      maxBytes: TREE_MAX_BYTES,
    });
    // A single directory too large for one answer: what it gave is all there is to have.
    if (field(json, 'truncated') === true) api.warnTruncated(`${trees}/…`);
    const level = blobs(json, next[1]);
    files.push(...level.files);
    pending.push(...level.trees);
    if (files.length >= max) {
      if (files.length > max || pending.length > 0) api.warnTruncated(`${trees}/…`);
      return files.slice(0, max);
    }
  }
  return files;
}

/** GitHub's recursive tree answers stop at 7 MB. */
const TREE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * An empty repository answers 409 ("Git Repository is empty") where a tree or file is asked for: no ref can
 * exist in it, so that is "not found", not a conflict.
 */
export async function whenNotEmpty<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ProviderAnswerError && error.status === 409)
      throw new ProviderAnswerError(404, error.reason, undefined, false);
    throw error;
  }
}

/** A repository answer's owner and name, which are also its namespace and project ids. */
export function ownerAndName(json: unknown): ProjectDetail {
  const owner = text(json, 'owner', 'login');
  const name = text(json, 'name');
  return { namespaceId: owner, namespace: owner, projectId: name, project: name };
}

/**
 * The repositories of a namespace: the user's own (private ones included), else an organization's, else — the
 * organization route answering 404 — another user's.
 */
export async function listNamespaceProjects(
  api: ProviderApi,
  namespace: string,
  paging: Paging,
  queries: { readonly own: Query; readonly org: Query },
): Promise<RepoProject[]> {
  const list = (path: string, query: Query) =>
    api.collect(
      api.url(path, { ...query, ...paging.query }),
      (json) =>
        listOf(json).map((r) => ({
          id: text(r, 'name'),
          name: text(r, 'name'),
          cloneUrl: text(r, 'clone_url'),
        })),
      paging.next,
    );
  const ns = encodeURIComponent(namespace);
  if (namespace.toLowerCase() === api.ctx.login.toLowerCase())
    return list('/user/repos', queries.own);
  try {
    return await list(`/orgs/${ns}/repos`, queries.org);
  } catch (error) {
    if (!(error instanceof ProviderAnswerError) || error.status !== 404) throw error;
  }
  return list(`/users/${ns}/repos`, {});
}
