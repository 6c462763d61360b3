import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import { encodePath, field, listOf, optionalText, text } from './repo-api/answers';
import { toUtcTimestamp } from './repo-api/dates';
import { gitBlobSha } from './repo-api/git-blob';
import { COMMITS_SHOWN } from './repo-api/github-style';
import { bodyNext } from './repo-api/paging';
import type { ProviderApi, Query } from './repo-api/provider-api';
import { type FormField, multipartBody } from './repo-api/multipart';
import {
  fileExists,
  fileTooLarge,
  hookExists,
  noSuchFile,
  notAFile,
  staleSha,
} from './repo-api/repo-errors';
import { ProviderAnswerError } from './provider-errors';
import { AppError } from '../../common/errors/app-error';
import type {
  FileCommit,
  FileDeletion,
  FileUpdate,
  NewFile,
  NewHook,
  NewTag,
  ProjectDetail,
  ProjectRef,
  RefKind,
  RepoCommit,
  RepoContext,
  RepoFile,
  RepoHook,
  RepoNamespace,
  RepoProject,
} from './repo-api/repo-model';
import type { ProviderProfile } from './repo-provider.strategy';

const PAGE_LENGTH = 100;
/** How deep `src` lists a tree; Bitbucket walks directories up to this depth. */
const TREE_DEPTH = 100;
const COMMIT_HASH = /^[0-9a-f]{40}$/i;

function repoPath(repo: ProjectRef, suffix = ''): string {
  return `/repositories/${encodeURIComponent(repo.namespace)}/${encodeURIComponent(repo.project)}${suffix}`;
}

/** A hook's `{uuid}` as Bitbucket's routes take it: with its braces, whether the caller wrote them or not. */
const HOOK_UUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** What a branch's head is and what the file there is: what a `/src` commit is checked against. */
interface BranchFile {
  readonly head: string;
  readonly exists: boolean;
  /** The file's blob id, when asked for (its content is read for it). */
  readonly sha?: string;
}

/** The HTTPS clone link, without the `user@` Bitbucket puts in it. */
function httpsCloneUrl(repo: unknown): string {
  const links = field(repo, 'links', 'clone');
  const https: unknown = Array.isArray(links)
    ? (links as unknown[]).find((l) => field(l, 'name') === 'https')
    : undefined;
  const url = new URL(text(https, 'href'));
  url.username = '';
  url.password = '';
  return url.href;
}

/**
 * Bitbucket Cloud: client credentials in HTTP Basic with a form body (JSON fails), scopes fixed on the
 * consumer, no PKCE, refresh tokens rotate on every use, no revocation API. Direct authorizations are a
 * username with an app password or API token. There is no self-hosted variant behind this API.
 */
@Injectable()
export class BitbucketStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'bitbucket',
    displayName: 'Bitbucket',
    envPrefix: 'BITBUCKET',
    webUrl: 'https://bitbucket.org',
    apiUrl: 'https://api.bitbucket.org/2.0',
    scopes: [],
    pkce: false,
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'x-token-auth' },
      password: { api: 'basic', gitUsername: ACCOUNT_LOGIN },
    },
  };
  readonly descriptor = BitbucketStrategy.descriptor;
  protected readonly tokenPath = '/site/oauth2/access_token';
  protected override readonly clientAuth = 'basic';

  authorizeUrl(app: OAuthApp, params: { state: string }): URL {
    return endpoint(app.webUrl, '/site/oauth2/authorize', {
      client_id: app.clientId,
      response_type: 'code',
      state: params.state,
      redirect_uri: app.redirectUri,
    });
  }

  /** `username` (may be absent for Atlassian accounts: then `nickname`), `links.*.href`. */
  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'username') ?? stringField(user, 'nickname'),
      stringField(user, 'links', 'html', 'href'),
      stringField(user, 'links', 'avatar', 'href'),
    );
  }

  /** Bitbucket has no revocation API for OAuth consumers. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }

  /** `GET /user/workspaces`; the user's personal workspace (slug = the login) first. */
  async listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]> {
    const workspaces = await this.list(this.api(ctx), '/user/workspaces', {}, (w) => ({
      id: text(w, 'workspace', 'slug'),
      name: optionalText(w, 'workspace', 'name') ?? text(w, 'workspace', 'slug'),
    }));
    const own = (w: RepoNamespace) => w.id.toLowerCase() === ctx.login.toLowerCase();
    return [...workspaces.filter(own), ...workspaces.filter((w) => !own(w))];
  }

  async showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail> {
    const json = await this.api(ctx).getJson(repoPath(repo));
    return {
      namespaceId: text(json, 'workspace', 'slug'),
      namespace: optionalText(json, 'workspace', 'name') ?? text(json, 'workspace', 'slug'),
      projectId: text(json, 'slug'),
      project: text(json, 'name'),
    };
  }

  listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]> {
    const path = `/repositories/${encodeURIComponent(namespace)}`;
    return this.list(this.api(ctx), path, { role: 'member' }, (r) => ({
      id: text(r, 'slug'),
      name: text(r, 'name'),
      cloneUrl: httpsCloneUrl(r),
    }));
  }

  listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]> {
    return this.list(this.api(ctx), repoPath(repo, `/refs/${kind}`), {}, (r) => text(r, 'name'));
  }

  /**
   * `GET …/commits/{ref}` (without a revision it would walk every branch): the default branch when no ref is
   * given, none at all in an empty repository. Messages end in a newline at Bitbucket: trimmed.
   */
  async listCommits(
    ctx: RepoContext,
    repo: ProjectRef,
    ref: string | undefined,
  ): Promise<RepoCommit[]> {
    const api = this.api(ctx);
    const revision = ref ?? optionalText(await api.getJson(repoPath(repo)), 'mainbranch', 'name');
    if (revision === undefined) return [];
    const json = await api.getJson(repoPath(repo, `/commits/${encodeURIComponent(revision)}`), {
      query: { pagelen: COMMITS_SHOWN },
    });
    return listOf(json, 'values')
      .slice(0, COMMITS_SHOWN)
      .map((c) => ({
        sha: text(c, 'hash'),
        message: text(c, 'message').trimEnd(),
        authoredDate: toUtcTimestamp(field(c, 'date')),
      }));
  }

  /** `src/{hash}/` walked to TREE_DEPTH: a branch name with `/` would be ambiguous in `src` URLs, a hash is not. */
  async listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]> {
    const api = this.api(ctx);
    const hash = await this.commitOf(api, repo, ref);
    const entries = await this.list(
      api,
      repoPath(repo, `/src/${hash}/`),
      { max_depth: TREE_DEPTH },
      (e) => (text(e, 'type') === 'commit_file' ? text(e, 'path') : undefined),
    );
    return entries.filter((path): path is string => path !== undefined);
  }

  /**
   * `src/{hash}/{path}?format=meta` says what the path is and how large; then the raw bytes. Bitbucket has no
   * blob ids in this API: the SHA is computed here, as git does.
   */
  async readFile(ctx: RepoContext, repo: ProjectRef, path: string, ref: string): Promise<RepoFile> {
    const api = this.api(ctx);
    const hash = await this.commitOf(api, repo, ref);
    const src = repoPath(repo, `/src/${hash}/${encodePath(path)}`);
    const meta = await api.getJson(src, { query: { format: 'meta' } });
    if (text(meta, 'type') !== 'commit_file') throw notAFile(path);
    const size = field(meta, 'size');
    if (typeof size === 'number' && size > ctx.limits.maxFileBytes)
      throw fileTooLarge(path, ctx.limits.maxFileBytes);
    const content = await api.getRaw(src, path);
    return { path: text(meta, 'path'), sha: gitBlobSha(content), content };
  }

  /** The commit a branch, tag or hash names. */
  private async commitOf(api: ProviderApi, repo: ProjectRef, ref: string): Promise<string> {
    if (COMMIT_HASH.test(ref)) return ref.toLowerCase();
    const commit = await api.getJson(repoPath(repo, `/commit/${encodeURIComponent(ref)}`));
    return text(commit, 'hash');
  }

  private list<T>(
    api: ProviderApi,
    path: string,
    query: Query,
    read: (item: unknown) => T,
  ): Promise<T[]> {
    return api.collect(
      api.url(path, { ...query, pagelen: PAGE_LENGTH }),
      (json) => listOf(json, 'values').map(read),
      bodyNext,
    );
  }

  // ---- writes --------------------------------------------------------------------------------------------

  /** `POST /repositories/{ws}/{slug}`: the slug is the name in lower case; no project is sent (the default). */
  async createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject> {
    const path = `/repositories/${encodeURIComponent(namespace)}/${encodeURIComponent(name.toLowerCase())}`;
    const answer = await this.api(ctx).write('POST', path, {
      json: { scm: 'git', is_private: true, name },
    });
    return {
      id: text(answer.json, 'slug'),
      name: text(answer.json, 'name'),
      cloneUrl: httpsCloneUrl(answer.json),
    };
  }

  /** Bitbucket's tags are lightweight only: the description has nowhere to go. */
  async createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void> {
    const api = this.api(ctx);
    const hash = await this.commitOf(api, repo, tag.ref);
    await api.write('POST', repoPath(repo, '/refs/tags'), {
      json: { name: tag.name, target: { hash } },
    });
  }

  async deleteTag(ctx: RepoContext, repo: ProjectRef, name: string): Promise<void> {
    await this.api(ctx).write('DELETE', repoPath(repo, `/refs/tags/${encodeURIComponent(name)}`));
  }

  listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]> {
    return this.list(this.api(ctx), repoPath(repo, '/hooks'), {}, (h) => ({
      id: text(h, 'uuid'),
      url: text(h, 'url'),
    }));
  }

  /** Deliveries are signed with the secret (`X-Hub-Signature`); `repo:push` covers tags too. */
  async createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook> {
    const same = (await this.listHooks(ctx, repo)).find((h) => h.url === hook.url);
    if (same) throw hookExists(this.descriptor, same.id);
    const answer = await this.api(ctx).write(
      'POST',
      repoPath(repo, '/hooks'),
      {
        json: {
          description: 'ServiceStage',
          url: hook.url,
          active: true,
          secret: hook.secret,
          events: ['repo:push'],
        },
      },
      { redact: [hook.secret] },
    );
    return { id: text(answer.json, 'uuid'), url: text(answer.json, 'url') };
  }

  async deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void> {
    const uuid = HOOK_UUID.exec(id)?.[1];
    if (!uuid) throw new ProviderAnswerError(404, 'hook ids are {uuid}s', undefined, false);
    await this.api(ctx).write(
      'DELETE',
      repoPath(repo, `/hooks/${encodeURIComponent(`{${uuid.toLowerCase()}}`)}`),
    );
  }

  /** Bitbucket overwrites without a word: the file is looked for first. */
  async createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void> {
    const api = this.api(ctx);
    const at = await this.branchFile(api, repo, file, false);
    if (at.exists) throw fileExists(file.path, file.branch);
    await this.commit(api, repo, file, at.head, [{ name: file.path, file: file.content }]);
  }

  /** Bitbucket has no blob ids: the current content's is computed and compared here. */
  async updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void> {
    const api = this.api(ctx);
    const head = await this.expectBlob(api, repo, file);
    await this.commit(api, repo, file, head, [{ name: file.path, file: file.content }]);
  }

  /** A `/src` commit naming the path in `files` without content for it deletes it. */
  async deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void> {
    const api = this.api(ctx);
    const head = await this.expectBlob(api, repo, file);
    await this.commit(api, repo, file, head, [{ name: 'files', value: file.path }]);
  }

  private async expectBlob(
    api: ProviderApi,
    repo: ProjectRef,
    file: FileCommit & { readonly sha: string },
  ): Promise<string> {
    const at = await this.branchFile(api, repo, file, true);
    if (at.sha === undefined) throw noSuchFile(file.path, file.branch);
    if (at.sha !== file.sha) throw staleSha(file.path);
    return at.head;
  }

  /**
   * The branch's head and the blob id of the file there. `POST /src` with an unknown branch would create it: the
   * branch must exist (0456 otherwise).
   */
  private async branchFile(
    api: ProviderApi,
    repo: ProjectRef,
    file: FileCommit,
    blob: boolean,
  ): Promise<BranchFile> {
    let branch: unknown;
    try {
      branch = await api.getJson(
        repoPath(repo, `/refs/branches/${encodeURIComponent(file.branch)}`),
      );
    } catch (error) {
      if (error instanceof ProviderAnswerError && error.status === 404)
        throw new AppError(
          'REPO_NOT_FOUND',
          `There is no branch "${file.branch}" in the repository`,
        );
      throw error;
    }
    const head = text(branch, 'target', 'hash');
    const src = repoPath(repo, `/src/${head}/${encodePath(file.path)}`);
    let meta: unknown;
    try {
      meta = await api.getJson(src, { query: { format: 'meta' } });
    } catch (error) {
      if (error instanceof ProviderAnswerError && error.status === 404)
        return { head, exists: false };
      throw error;
    }
    if (text(meta, 'type') !== 'commit_file') throw notAFile(file.path);
    if (!blob) return { head, exists: true };
    return { head, exists: true, sha: gitBlobSha(await api.getRaw(src, file.path)) };
  }

  /**
   * One commit on the branch, on top of `head`: Bitbucket refuses it with 409 if the branch moved since it was
   * read, so nothing read here is overwritten unseen.
   */
  private async commit(
    api: ProviderApi,
    repo: ProjectRef,
    file: FileCommit,
    head: string,
    fields: FormField[],
  ): Promise<void> {
    const body = await multipartBody([
      { name: 'message', value: file.message },
      { name: 'branch', value: file.branch },
      { name: 'parents', value: head },
      ...fields,
    ]);
    await api.write('POST', repoPath(repo, '/src'), body);
  }
}
