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
import type { ProviderProfile } from './repo-provider.strategy';

const PAGE_LENGTH = 100;
/** How deep `src` lists a tree; Bitbucket walks directories up to this depth. */
const TREE_DEPTH = 100;
const COMMIT_HASH = /^[0-9a-f]{40}$/i;

function repoPath(repo: ProjectRef, suffix = ''): string {
  return `/repositories/${encodeURIComponent(repo.namespace)}/${encodeURIComponent(repo.project)}${suffix}`;
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
}
