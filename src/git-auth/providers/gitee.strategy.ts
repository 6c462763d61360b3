import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy, type GrantRequest } from './base-provider.strategy';
import { endpoint, loginProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import { encodePath, listOf, optionalText, text } from './repo-api/answers';
import { gitBlobSha } from './repo-api/git-blob';
import {
  contentsPath,
  createContents,
  currentBlob,
  expectBlob,
  type GitHubStyleWrites,
  hookOf,
  listRepoHooks,
  numericHookId,
  refuseDuplicateHook,
  updateContents,
} from './repo-api/github-style-writes';
import { fileExists, notSupported } from './repo-api/repo-errors';
import { AppError } from '../../common/errors/app-error';
import {
  listCommitsOf,
  listRefNames,
  listTreeFiles,
  type Paging,
  readContents,
  repoPath,
} from './repo-api/github-style';
import { shortPageNext } from './repo-api/paging';
import type { ProviderApi, Query } from './repo-api/provider-api';
import type {
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

/** Gitee's lists say nothing about a next page: a short page is the last. */
const PAGING: Paging = { query: { per_page: 100 }, next: shortPageNext(100) };

const WRITES: GitHubStyleWrites = { paging: PAGING, hookUrl: ['url'], createFileMethod: 'POST' };

/** Where a repository is created, by the namespace's `type` (personal: the user's own only). */
const CREATE_IN: Readonly<Record<string, (ns: string) => string>> = {
  group: (ns) => `/orgs/${ns}/repos`,
  enterprise: (ns) => `/enterprises/${ns}/repos`,
};

/** A repository answer: `path` is its id; clone URLs from `html_url`, with `.git` added where it is missing. */
function projectOf(json: unknown): RepoProject {
  const url = text(json, 'html_url');
  return {
    id: text(json, 'path'),
    name: text(json, 'name'),
    cloneUrl: url.endsWith('.git') ? url : `${url}.git`,
  };
}

/** Where a namespace's repositories are listed, by the namespace's `type`. */
const REPOS_OF: Readonly<Record<string, (ns: string) => string>> = {
  personal: (ns) => `/users/${ns}/repos`,
  group: (ns) => `/orgs/${ns}/repos`,
  enterprise: (ns) => `/enterprises/${ns}/repos`,
};

/**
 * Gitee wants the token request's parameters in the query string (client_secret stays in the body), refuses
 * requests without a User-Agent, has no PKCE and no revocation API. Tokens live one day. Its API documents the
 * token as the `access_token` parameter (query string or form field) of every call.
 */
@Injectable()
export class GiteeStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'gitee',
    displayName: 'Gitee',
    envPrefix: 'GITEE',
    webUrl: 'https://gitee.com',
    apiUrl: 'https://gitee.com/api/v5',
    selfHostedApiPath: '/api/v5',
    scopes: ['user_info', 'projects'],
    pkce: false,
    // OAuth tokens clone as `oauth2`; personal tokens with the account's login.
    secrets: {
      oauth: { api: 'query', gitUsername: 'oauth2' },
      personal: { api: 'query', gitUsername: ACCOUNT_LOGIN },
    },
  };
  readonly descriptor = GiteeStrategy.descriptor;
  protected readonly tokenPath = '/oauth/token';

  authorizeUrl(app: OAuthApp, params: { state: string }): URL {
    return endpoint(app.webUrl, '/oauth/authorize', {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      response_type: 'code',
      scope: app.scopes.join(' '),
      state: params.state,
    });
  }

  /** Every parameter but the secret also goes into the query string, where Gitee documents them. */
  protected override tokenEndpoint({ app, grantType, parameters }: GrantRequest): URL {
    const query = {
      grant_type: grantType,
      ...parameters,
      ...(grantType === 'authorization_code' ? { client_id: app.clientId } : {}),
    };
    return endpoint(app.webUrl, this.tokenPath, query);
  }

  parseProfile(user: unknown): ProviderProfile {
    return loginProfile(user);
  }

  /** Gitee has no revocation API: a deleted authorization's token lives until it expires. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }

  /** `GET /user/namespaces` (the joined ones): personal, then groups and enterprises. */
  async listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]> {
    const namespaces = listOf(await this.api(ctx).getJson('/user/namespaces')).map((n) => ({
      type: text(n, 'type'),
      id: text(n, 'path'),
      name: optionalText(n, 'name') ?? text(n, 'path'),
    }));
    const personal = namespaces.filter((n) => n.type === 'personal');
    return [...personal, ...namespaces.filter((n) => n.type !== 'personal')].map(
      ({ id, name }) => ({
        id,
        name,
      }),
    );
  }

  async showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail> {
    const json = await this.api(ctx).getJson(repoPath(repo));
    return {
      namespaceId: text(json, 'namespace', 'path'),
      namespace: optionalText(json, 'namespace', 'name') ?? text(json, 'namespace', 'path'),
      projectId: text(json, 'path'),
      project: text(json, 'name'),
    };
  }

  /** The namespace's `type` says where its repositories are; the user's own include the private ones. */
  async listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]> {
    const api = this.api(ctx);
    const info = await api.getJson('/user/namespace', { query: { path: namespace } });
    const type = text(info, 'type');
    const own = type === 'personal' && namespace.toLowerCase() === ctx.login.toLowerCase();
    const reposOf = REPOS_OF[type] ?? REPOS_OF.personal;
    const path = own ? '/user/repos' : reposOf(encodeURIComponent(namespace));
    return this.projects(api, path, own ? { type: 'owner' } : {});
  }

  listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]> {
    return listRefNames(this.api(ctx), repo, kind, PAGING);
  }

  listCommits(ctx: RepoContext, repo: ProjectRef, ref: string | undefined): Promise<RepoCommit[]> {
    return listCommitsOf(this.api(ctx), repo, ref, { per_page: 10 });
  }

  listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]> {
    return listTreeFiles(this.api(ctx), repo, ref);
  }

  /** Content inline in `GET …/contents/{path}`; when it is not, `GET …/raw/{path}` serves it. */
  async readFile(ctx: RepoContext, repo: ProjectRef, path: string, ref: string): Promise<RepoFile> {
    const api = this.api(ctx);
    const file = encodePath(path);
    const json = await api.getFileJson(api.url(repoPath(repo, `/contents/${file}`), { ref }), path);
    const answer = readContents(json, path, ctx.limits.maxFileBytes);
    if (answer.inline) return answer.file;
    const content = await api.getRaw(api.url(repoPath(repo, `/raw/${file}`), { ref }), path);
    return { path: answer.path, sha: gitBlobSha(content), content };
  }

  /** Clone URLs from `html_url`, which Gitee gives with `.git` (added where it is missing). */
  private projects(api: ProviderApi, path: string, query: Query): Promise<RepoProject[]> {
    return api.collect(
      api.url(path, { ...query, ...PAGING.query }),
      (json) => listOf(json).map(projectOf),
      PAGING.next,
    );
  }

  // ---- writes --------------------------------------------------------------------------------------------

  /**
   * In the user's own namespace (`/user/repos`), a group's or an enterprise's; Gitee has no way to create one in
   * another user's namespace.
   */
  async createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject> {
    const api = this.api(ctx);
    const info = await api.getJson('/user/namespace', { query: { path: namespace } });
    const type = text(info, 'type');
    const own = type === 'personal' && namespace.toLowerCase() === ctx.login.toLowerCase();
    const createIn = CREATE_IN[type];
    if (!own && !createIn)
      throw new AppError(
        'PROVIDER_FORBIDDEN',
        `Gitee creates repositories only in the user's own namespace, a group or an enterprise, not in "${namespace}"`,
      );
    const path = own ? '/user/repos' : createIn(encodeURIComponent(namespace));
    const answer = await api.write('POST', path, { json: { name, path: name, private: true } });
    return projectOf(answer.json);
  }

  /** `refs` defaults to master at Gitee: always sent. */
  async createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void> {
    await this.api(ctx).write('POST', repoPath(repo, '/tags'), {
      json: { refs: tag.ref, tag_name: tag.name, tag_message: tag.message },
    });
  }

  /** Gitee's v5 API lists and creates tags but cannot delete one. */
  deleteTag(): Promise<void> {
    return Promise.reject(notSupported(this.descriptor, 'deleteTag (deleting a tag)'));
  }

  listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]> {
    return listRepoHooks(this.api(ctx), repo, WRITES);
  }

  /** `encryption_type` 1: the secret is a signing key (0 would send it as a plain password with each delivery). */
  async createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook> {
    const api = this.api(ctx);
    refuseDuplicateHook(api, await listRepoHooks(api, repo, WRITES), hook.url);
    const answer = await api.write(
      'POST',
      repoPath(repo, '/hooks'),
      {
        json: {
          url: hook.url,
          password: hook.secret,
          encryption_type: 1,
          push_events: true,
          tag_push_events: true,
        },
      },
      { redact: [hook.secret] },
    );
    return hookOf(answer.json, WRITES);
  }

  async deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void> {
    await this.api(ctx).write('DELETE', repoPath(repo, `/hooks/${numericHookId(id)}`));
  }

  /** Gitee does not document its answer to a file that exists: looked up first. */
  async createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void> {
    const api = this.api(ctx);
    if ((await currentBlob(api, repo, file.path, file.branch)) !== undefined)
      throw fileExists(file.path, file.branch);
    await createContents(api, repo, file, WRITES);
  }

  updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void> {
    return updateContents(this.api(ctx), repo, file);
  }

  /** Gitee takes a DELETE's parameters in the query string. */
  async deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void> {
    const api = this.api(ctx);
    await expectBlob(api, repo, file);
    const url = api.url(contentsPath(repo, file.path), {
      sha: file.sha,
      message: file.message,
      branch: file.branch,
    });
    await api.write('DELETE', url);
  }
}
