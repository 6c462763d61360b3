import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import { endpoint, stringField, toProfile } from './profile-request';
import type { ProviderDescriptor } from './provider-descriptor';
import { ProviderAnswerError } from './provider-errors';
import type { OAuthApp } from './providers.config';
import { base64Content, distinct, field, listOf, text } from './repo-api/answers';
import { toUtcTimestamp } from './repo-api/dates';
import { COMMITS_SHOWN } from './repo-api/github-style';
import { gitlabNext } from './repo-api/paging';
import type { ProviderApi, Query } from './repo-api/provider-api';
import {
  asStatus,
  fileTooLarge,
  hookExists,
  noSuchFile,
  notAFile,
  staleSha,
} from './repo-api/repo-errors';
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
import type { CallBound, ProviderProfile, TokenSet } from './repo-provider.strategy';

const PER_PAGE = 100;

/** `:id` of GitLab's project routes: a numeric id as is, anything else the URL-encoded full path. */
function projectKey(repo: ProjectRef): string {
  return /^\d+$/.test(repo.project)
    ? repo.project
    : encodeURIComponent(`${repo.namespace}/${repo.project}`);
}

/** GitLab's answer when `last_commit_id` is no longer the file's last commit. */
const CHANGED_SINCE = /changed since/i;

function filePath(repo: ProjectRef, path: string): string {
  return `/projects/${projectKey(repo)}/repository/files/${encodeURIComponent(path)}`;
}

/** Namespace ids are full paths with `:` for `/`, so they travel in one path segment. */
function namespaceOf(fullPath: string): RepoNamespace {
  return { id: fullPath.replace(/\//g, ':'), name: fullPath };
}

/**
 * gitlab.com and self-managed GitLab. Tokens live 2 hours; a refresh invalidates the old access and refresh
 * token. Bad codes are 400 invalid_grant, bad client credentials 401 invalid_client.
 */
@Injectable()
export class GitLabStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'gitlab',
    displayName: 'GitLab',
    envPrefix: 'GITLAB',
    webUrl: 'https://gitlab.com',
    apiUrl: 'https://gitlab.com/api/v4',
    selfHostedApiPath: '/api/v4',
    // api: the REST API, reads and the writes (projects, tags, hooks, files); read_repository: clones.
    scopes: ['read_user', 'api', 'read_repository'],
    pkce: true,
    // `oauth2` clones with OAuth and personal access tokens alike.
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'oauth2' },
      personal: { api: 'bearer', gitUsername: 'oauth2' },
    },
  };
  readonly descriptor = GitLabStrategy.descriptor;
  protected readonly tokenPath = '/oauth/token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return this.codeAuthorizeUrl(app, '/oauth/authorize', params);
  }

  /** GitLab wants the redirect URI on refresh too. */
  override refresh(app: OAuthApp, refreshToken: string, bound: CallBound = {}): Promise<TokenSet> {
    return this.grant({
      app,
      grantType: 'refresh_token',
      parameters: { refresh_token: refreshToken, redirect_uri: app.redirectUri },
      timeoutMs: bound.timeoutMs,
    });
  }

  parseProfile(user: unknown): ProviderProfile {
    return toProfile(
      stringField(user, 'username'),
      stringField(user, 'web_url'),
      stringField(user, 'avatar_url'),
    );
  }

  /** RFC 7009: GitLab revokes the token (and its refresh token); there is no separate grant to withdraw. */
  revoke(app: OAuthApp, accessToken: string): Promise<void> {
    return this.tokens.revoke(app, endpoint(app.webUrl, '/oauth/revoke').href, accessToken);
  }

  /**
   * The user's namespace and groups from `GET /namespaces` — which for an administrator lists the whole
   * instance, so an administrator gets the user and the groups they are a member of instead.
   */
  async listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]> {
    const api = this.api(ctx);
    const user = await api.getJson('/user');
    const login = text(user, 'username');
    const paths =
      field(user, 'is_admin') === true
        ? await this.list(api, '/groups', { min_access_level: 10 }, (g) => text(g, 'full_path'))
        : await this.list(api, '/namespaces', {}, (n) => text(n, 'full_path'));
    return distinct([login, ...paths]).map(namespaceOf);
  }

  async showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail> {
    const json = await this.api(ctx).getJson(`/projects/${projectKey(repo)}`);
    const namespace = namespaceOf(text(json, 'namespace', 'full_path'));
    return {
      namespaceId: namespace.id,
      namespace: namespace.name,
      projectId: text(json, 'id'),
      project: text(json, 'name'),
    };
  }

  /** A group's projects, or (the group route answering 404) a user's. */
  async listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]> {
    const api = this.api(ctx);
    const ns = encodeURIComponent(namespace);
    const read = (p: unknown) => ({
      id: text(p, 'id'),
      name: text(p, 'name'),
      cloneUrl: text(p, 'http_url_to_repo'),
    });
    try {
      return await this.list(api, `/groups/${ns}/projects`, {}, read);
    } catch (error) {
      if (!(error instanceof ProviderAnswerError) || error.status !== 404) throw error;
    }
    return this.list(api, `/users/${ns}/projects`, {}, read);
  }

  listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]> {
    const api = this.api(ctx);
    return this.list(api, `/projects/${projectKey(repo)}/repository/${kind}`, {}, (r) =>
      text(r, 'name'),
    );
  }

  async listCommits(
    ctx: RepoContext,
    repo: ProjectRef,
    ref: string | undefined,
  ): Promise<RepoCommit[]> {
    const json = await this.api(ctx).getJson(`/projects/${projectKey(repo)}/repository/commits`, {
      query: { ref_name: ref, per_page: COMMITS_SHOWN },
    });
    return listOf(json)
      .slice(0, COMMITS_SHOWN)
      .map((c) => ({
        sha: text(c, 'id'),
        message: text(c, 'message'),
        authoredDate: toUtcTimestamp(field(c, 'authored_date')),
      }));
  }

  /** Keyset paging (`Link`), which large trees need. */
  async listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]> {
    const api = this.api(ctx);
    const entries = await this.list(
      api,
      `/projects/${projectKey(repo)}/repository/tree`,
      { ref, recursive: true, pagination: 'keyset' },
      (e) => (text(e, 'type') === 'blob' ? text(e, 'path') : undefined),
    );
    return entries.filter((path): path is string => path !== undefined);
  }

  /** The files API answers 404 for a directory too: the tree tells which it was. */
  async readFile(ctx: RepoContext, repo: ProjectRef, path: string, ref: string): Promise<RepoFile> {
    const api = this.api(ctx);
    const key = projectKey(repo);
    let json: unknown;
    try {
      json = await api.getFileJson(
        api.url(`/projects/${key}/repository/files/${encodeURIComponent(path)}`, { ref }),
        path,
      );
    } catch (error) {
      if (error instanceof ProviderAnswerError && error.status === 404) {
        if (await this.isDirectory(api, key, path, ref)) throw notAFile(path);
      }
      throw error;
    }
    const content = base64Content(json, 'content');
    if (content.length > ctx.limits.maxFileBytes) throw fileTooLarge(path, ctx.limits.maxFileBytes);
    return { path: text(json, 'file_path'), sha: text(json, 'blob_id'), content };
  }

  private async isDirectory(api: ProviderApi, key: string, path: string, ref: string) {
    const slash = path.lastIndexOf('/');
    const parent = slash === -1 ? undefined : path.slice(0, slash);
    try {
      const kinds = await this.list(
        api,
        `/projects/${key}/repository/tree`,
        { ref, path: parent },
        (e) => (text(e, 'path') === path ? text(e, 'type') : undefined),
      );
      return kinds.some((type) => type === 'tree' || type === 'commit');
    } catch (error) {
      if (error instanceof ProviderAnswerError) return false;
      throw error;
    }
  }

  private list<T>(
    api: ProviderApi,
    path: string,
    query: Query,
    read: (item: unknown) => T,
  ): Promise<T[]> {
    return api.collect(
      api.url(path, { ...query, per_page: PER_PAGE }),
      (json) => listOf(json).map(read),
      gitlabNext,
    );
  }

  // ---- writes --------------------------------------------------------------------------------------------

  /** `namespace_id` is numeric: the namespace's path is looked up first. */
  async createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject> {
    const api = this.api(ctx);
    const ns = await api.getJson(`/namespaces/${encodeURIComponent(namespace)}`);
    const answer = await api.write('POST', '/projects', {
      json: { name, path: name, namespace_id: Number(text(ns, 'id')), visibility: 'private' },
    });
    return {
      id: text(answer.json, 'id'),
      name: text(answer.json, 'name'),
      cloneUrl: text(answer.json, 'http_url_to_repo'),
    };
  }

  /** With a message GitLab makes an annotated tag; a taken name is 400 "Tag … already exists". */
  async createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void> {
    await this.api(ctx).write('POST', `/projects/${projectKey(repo)}/repository/tags`, {
      json: { tag_name: tag.name, ref: tag.ref, message: tag.message },
    });
  }

  async deleteTag(ctx: RepoContext, repo: ProjectRef, name: string): Promise<void> {
    await this.api(ctx).write(
      'DELETE',
      `/projects/${projectKey(repo)}/repository/tags/${encodeURIComponent(name)}`,
    );
  }

  listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]> {
    return this.list(this.api(ctx), `/projects/${projectKey(repo)}/hooks`, {}, (h) => ({
      id: text(h, 'id'),
      url: text(h, 'url'),
    }));
  }

  /** GitLab sends the secret back as `X-Gitlab-Token` with each delivery; it allows duplicates, we do not. */
  async createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook> {
    const same = (await this.listHooks(ctx, repo)).find((h) => h.url === hook.url);
    if (same) throw hookExists(this.descriptor, same.id);
    const answer = await this.api(ctx).write(
      'POST',
      `/projects/${projectKey(repo)}/hooks`,
      {
        json: {
          url: hook.url,
          token: hook.secret,
          push_events: true,
          tag_push_events: true,
          enable_ssl_verification: true,
        },
      },
      { redact: [hook.secret] },
    );
    return { id: text(answer.json, 'id'), url: text(answer.json, 'url') };
  }

  async deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void> {
    if (!/^\d+$/.test(id))
      throw new ProviderAnswerError(404, 'hook ids are numbers', undefined, false);
    await this.api(ctx).write('DELETE', `/projects/${projectKey(repo)}/hooks/${id}`);
  }

  /** A file that exists is 400 "A file with this name already exists": "already exists". */
  async createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void> {
    await this.api(ctx).write('POST', filePath(repo, file.path), {
      json: {
        branch: file.branch,
        commit_message: file.message,
        content: file.content.toString('base64'),
        encoding: 'base64',
      },
    });
  }

  /**
   * GitLab takes no blob SHA: the file's `blob_id` is compared here, and its `last_commit_id` sent along, so
   * that a change between the two calls is GitLab's own refusal ("…has changed since…"): a conflict either way.
   */
  async updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void> {
    const api = this.api(ctx);
    const lastCommit = await this.expectBlob(api, repo, file);
    await this.changedSinceIsConflict(
      api.write('PUT', filePath(repo, file.path), {
        json: {
          branch: file.branch,
          commit_message: file.message,
          content: file.content.toString('base64'),
          encoding: 'base64',
          last_commit_id: lastCommit,
        },
      }),
    );
  }

  async deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void> {
    const api = this.api(ctx);
    const lastCommit = await this.expectBlob(api, repo, file);
    await this.changedSinceIsConflict(
      api.write('DELETE', filePath(repo, file.path), {
        json: { branch: file.branch, commit_message: file.message, last_commit_id: lastCommit },
      }),
    );
  }

  /**
   * The file on the branch must have the caller's blob SHA (else 0456 or 0409, nothing written); returns its last
   * commit. GitLab answers a directory with 404 too, and updating a missing file with 400: read first.
   */
  private async expectBlob(
    api: ProviderApi,
    repo: ProjectRef,
    file: FileCommit & { readonly sha: string },
  ): Promise<string> {
    let json: unknown;
    try {
      json = await api.getFileJson(
        api.url(filePath(repo, file.path), { ref: file.branch }),
        file.path,
      );
    } catch (error) {
      if (error instanceof ProviderAnswerError && error.status === 404)
        throw noSuchFile(file.path, file.branch);
      throw error;
    }
    if (text(json, 'blob_id').toLowerCase() !== file.sha) throw staleSha(file.path);
    return text(json, 'last_commit_id');
  }

  private async changedSinceIsConflict(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (error) {
      if (
        error instanceof ProviderAnswerError &&
        error.status === 400 &&
        CHANGED_SINCE.test(error.reason)
      )
        throw asStatus(error, 409);
      throw error;
    }
  }
}
