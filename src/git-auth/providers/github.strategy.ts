import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import type { OAuthError } from './oauth-token-client';
import { authorizationHeader, endpoint, loginProfile } from './profile-request';
import type { ProviderDescriptor } from './provider-descriptor';
import { ProviderAnswerError, ProviderUnavailableError } from './provider-errors';
import type { OAuthApp } from './providers.config';
import { distinct, encodePath, listOf, text } from './repo-api/answers';
import {
  createContents,
  createRepository,
  deleteContents,
  type GitHubStyleWrites,
  hookOf,
  listRepoHooks,
  numericHookId,
  projectOf,
  refuseDuplicateHook,
  updateContents,
} from './repo-api/github-style-writes';
import { asStatus, fileExists } from './repo-api/repo-errors';
import {
  listCommitsOf,
  listNamespaceProjects,
  listRefNames,
  listTreeFiles,
  ownerAndName,
  type Paging,
  readContents,
  repoPath,
  whenNotEmpty,
} from './repo-api/github-style';
import { linkNext } from './repo-api/paging';
import type { ProviderApi, Query } from './repo-api/provider-api';
import { gitBlobSha } from './repo-api/git-blob';
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
import type { ProviderProfile, RevocationScope } from './repo-provider.strategy';

/** GitHub's own codes for a dead grant, next to RFC 6749's invalid_grant (it answers them with HTTP 200). */
const GRANT_REFUSALS = new Set([
  'bad_verification_code',
  'bad_refresh_token',
  'unverified_user_email',
]);

const PAGING: Paging = { query: { per_page: 100 }, next: linkNext };

const WRITES: GitHubStyleWrites = {
  paging: PAGING,
  hookUrl: ['config', 'url'],
  createFileMethod: 'PUT',
};

/**
 * GitHub and GitHub Enterprise Server. Token errors come back as HTTP 200 with `error` (handled by the token
 * client); OAuth App tokens never expire, GitHub App user tokens expire after 8 h and refresh with rotation.
 */
@Injectable()
export class GitHubStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'github',
    displayName: 'GitHub',
    envPrefix: 'GITHUB',
    webUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    selfHostedApiPath: '/api/v3',
    // ServiceStage's own documented GitHub request asks for these.
    scopes: ['read:user', 'repo', 'write:repo_hook'],
    pkce: true,
    secrets: {
      oauth: { api: 'bearer', gitUsername: 'x-access-token' },
      personal: { api: 'bearer', gitUsername: 'x-access-token' },
    },
  };
  readonly descriptor = GitHubStrategy.descriptor;
  protected readonly tokenPath = '/login/oauth/access_token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return endpoint(app.webUrl, '/login/oauth/authorize', {
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      scope: app.scopes.join(' '),
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: params.codeChallenge ? 'S256' : undefined,
    });
  }

  parseProfile(user: unknown): ProviderProfile {
    return loginProfile(user);
  }

  /**
   * `DELETE /applications/{client_id}/grant` withdraws the app from the user's account (every token of that
   * user for the app); `…/token` revokes only this token. Both take the token in the body and the app's
   * credentials as HTTP Basic; 404 means it is already gone.
   */
  async revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void> {
    const url = endpoint(app.apiUrl, `/applications/${encodeURIComponent(app.clientId)}/${scope}`);
    const response = await this.http.request(url.href, {
      call: { provider: this.descriptor.repoType, operation: 'revoke' },
      method: 'DELETE',
      headers: {
        authorization: authorizationHeader({
          kind: 'basic',
          username: app.clientId,
          password: app.clientSecret,
        }),
        'content-type': 'application/json',
        accept: 'application/vnd.github+json',
      },
      body: JSON.stringify({ access_token: accessToken }),
    });
    if (response.status !== 204 && response.status !== 404) {
      throw new ProviderUnavailableError(`revoke answered HTTP ${response.status}`);
    }
  }

  protected override isGrantRefusal(error: OAuthError): boolean {
    return super.isGrantRefusal(error) || GRANT_REFUSALS.has(error.error);
  }

  protected override apiHeaders(): Record<string, string> {
    return { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  }

  /**
   * The user, then `GET /user/orgs` — which needs scope `read:org` or `user`, neither of which we ask for: on its
   * 403 the owners of the repositories the user can reach stand in for the organizations.
   */
  async listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]> {
    const api = this.api(ctx);
    const login = text(await api.getJson('/user'), 'login');
    let others: string[];
    try {
      others = await this.logins(api, '/user/orgs', {}, 'login');
    } catch (error) {
      if (!(error instanceof ProviderAnswerError) || error.status !== 403 || error.rateLimited)
        throw error;
      const affiliation = 'owner,collaborator,organization_member';
      others = await this.logins(api, '/user/repos', { affiliation }, 'owner', 'login');
    }
    return distinct([login, ...others]).map((id) => ({ id, name: id }));
  }

  showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail> {
    return this.api(ctx).getJson(repoPath(repo)).then(ownerAndName);
  }

  /** The user's own repositories, an organization's (all it lets the user see), or another user's public ones. */
  listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]> {
    return listNamespaceProjects(this.api(ctx), namespace, PAGING, {
      own: { affiliation: 'owner' },
      org: { type: 'all' },
    });
  }

  listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]> {
    return listRefNames(this.api(ctx), repo, kind, PAGING);
  }

  listCommits(ctx: RepoContext, repo: ProjectRef, ref: string | undefined): Promise<RepoCommit[]> {
    return listCommitsOf(this.api(ctx), repo, ref, { per_page: 10 });
  }

  listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]> {
    return whenNotEmpty(listTreeFiles(this.api(ctx), repo, ref));
  }

  /** Above 1 MB the contents API leaves `content` empty (`encoding: none`); the raw media type serves it. */
  async readFile(ctx: RepoContext, repo: ProjectRef, path: string, ref: string): Promise<RepoFile> {
    const api = this.api(ctx);
    const url = api.url(repoPath(repo, `/contents/${encodePath(path)}`), { ref });
    const json = await whenNotEmpty(api.getFileJson(url, path));
    const answer = readContents(json, path, ctx.limits.maxFileBytes);
    if (answer.inline) return answer.file;
    const content = await api.getRaw(url, path, {
      headers: { accept: 'application/vnd.github.raw+json' },
    });
    return { path: answer.path, sha: gitBlobSha(content), content };
  }

  private logins(api: ProviderApi, path: string, query: Query, ...login: string[]) {
    return api.collect(
      api.url(path, { ...query, ...PAGING.query }),
      (json) => listOf(json).map((item) => text(item, ...login)),
      PAGING.next,
    );
  }

  // ---- writes --------------------------------------------------------------------------------------------

  async createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject> {
    return projectOf(await createRepository(this.api(ctx), namespace, { name, private: true }));
  }

  /**
   * An annotated tag is a tag object and a ref to it: the commit `ref` names, the tag object, then
   * `refs/tags/{name}` — which answers 422 "Reference already exists" for a taken name (the tag object left
   * behind is unreachable, and git collects it).
   */
  async createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void> {
    const api = this.api(ctx);
    let commit: unknown;
    try {
      commit = await whenNotEmpty(
        api.getJson(repoPath(repo, `/commits/${encodeURIComponent(tag.ref)}`)),
      );
    } catch (error) {
      // An unknown ref is 422 "No commit found for SHA" here.
      if (error instanceof ProviderAnswerError && error.status === 422) throw asStatus(error, 404);
      throw error;
    }
    const object = await api.write('POST', repoPath(repo, '/git/tags'), {
      json: { tag: tag.name, message: tag.message, object: text(commit, 'sha'), type: 'commit' },
    });
    await api.write('POST', repoPath(repo, '/git/refs'), {
      json: { ref: `refs/tags/${tag.name}`, sha: text(object.json, 'sha') },
    });
  }

  /** A missing ref is 422 "Reference does not exist" at GitHub: that is "not found". */
  async deleteTag(ctx: RepoContext, repo: ProjectRef, name: string): Promise<void> {
    try {
      await this.api(ctx).write('DELETE', repoPath(repo, `/git/refs/tags/${encodePath(name)}`));
    } catch (error) {
      if (error instanceof ProviderAnswerError && error.status === 422) throw asStatus(error, 404);
      throw error;
    }
  }

  listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]> {
    return listRepoHooks(this.api(ctx), repo, WRITES);
  }

  /** `push` includes tag pushes; deliveries are signed with the secret (`X-Hub-Signature-256`). */
  async createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook> {
    const api = this.api(ctx);
    refuseDuplicateHook(api, await listRepoHooks(api, repo, WRITES), hook.url);
    const config = { url: hook.url, content_type: 'json', secret: hook.secret, insecure_ssl: '0' };
    const answer = await api.write(
      'POST',
      repoPath(repo, '/hooks'),
      { json: { name: 'web', active: true, events: ['push'], config } },
      { redact: [hook.secret] },
    );
    return hookOf(answer.json, WRITES);
  }

  async deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void> {
    await this.api(ctx).write('DELETE', repoPath(repo, `/hooks/${numericHookId(id)}`));
  }

  /** GitHub's one route creates and updates: without `sha` for an existing file it answers 422 "sha" wasn't supplied. */
  async createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void> {
    try {
      await createContents(this.api(ctx), repo, file, WRITES);
    } catch (error) {
      if (
        error instanceof ProviderAnswerError &&
        error.status === 422 &&
        /\bsha\b/.test(error.reason)
      )
        throw fileExists(file.path, file.branch);
      throw error;
    }
  }

  updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void> {
    return updateContents(this.api(ctx), repo, file);
  }

  deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void> {
    return deleteContents(this.api(ctx), repo, file);
  }
}
