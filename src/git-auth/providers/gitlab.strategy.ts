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
import { fileTooLarge, notAFile } from './repo-api/repo-errors';
import type {
  ProjectDetail,
  ProjectRef,
  RefKind,
  RepoCommit,
  RepoContext,
  RepoFile,
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
    // read_api: projects, branches, tags and commits; read_repository: files and clones.
    scopes: ['read_user', 'read_api', 'read_repository'],
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
}
