import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy, type GrantRequest } from './base-provider.strategy';
import { endpoint, loginProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import type { OAuthApp } from './providers.config';
import { encodePath, listOf, optionalText, text } from './repo-api/answers';
import { gitBlobSha } from './repo-api/git-blob';
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
  ProjectDetail,
  ProjectRef,
  RefKind,
  RepoCommit,
  RepoContext,
  RepoFile,
  RepoNamespace,
  RepoProject,
} from './repo-api/repo-model';
import type { ProviderProfile } from './repo-provider.strategy';

/** Gitee's lists say nothing about a next page: a short page is the last. */
const PAGING: Paging = { query: { per_page: 100 }, next: shortPageNext(100) };

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
      (json) =>
        listOf(json).map((r) => {
          const url = text(r, 'html_url');
          return {
            id: text(r, 'path'),
            name: text(r, 'name'),
            cloneUrl: url.endsWith('.git') ? url : `${url}.git`,
          };
        }),
      PAGING.next,
    );
  }
}
