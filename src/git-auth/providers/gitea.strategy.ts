import { Injectable } from '@nestjs/common';
import { BaseProviderStrategy } from './base-provider.strategy';
import type { OAuthError } from './oauth-token-client';
import { loginProfile } from './profile-request';
import { ACCOUNT_LOGIN, type ProviderDescriptor } from './provider-descriptor';
import { ProviderAnswerError } from './provider-errors';
import type { OAuthApp } from './providers.config';
import { encodePath, field, listOf, optionalText, text } from './repo-api/answers';
import { gitBlobSha } from './repo-api/git-blob';
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
import { asStatus } from './repo-api/repo-errors';
import {
  blobs,
  listCommitsOf,
  listNamespaceProjects,
  listRefNames,
  ownerAndName,
  type Paging,
  readContents,
  repoPath,
  whenNotEmpty,
} from './repo-api/github-style';
import { linkNext, type NextPage } from './repo-api/paging';
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

/** Gitea caps `limit` at 50 by default. */
const PAGING: Paging = { query: { limit: 50 }, next: linkNext };

const WRITES: GitHubStyleWrites = {
  paging: PAGING,
  hookUrl: ['config', 'url'],
  createFileMethod: 'POST',
};

/**
 * Gitea answers a stale sha with 422 ("sha does not match"), as it answers a file that exists; the repository
 * and tag that exist are 409s. By meaning: the sha is the conflict.
 */
async function staleShaIs409(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (
      error instanceof ProviderAnswerError &&
      error.status === 422 &&
      /\bsha\b/i.test(error.reason)
    )
      throw asStatus(error, 409);
    throw error;
  }
}

/** Gitea pages a recursive tree: `truncated` says another page follows. */
const TREE_PAGE_SIZE = 1000;
const nextTreePage: NextPage = (page, current) => {
  if (field(page.json, 'truncated') !== true) return undefined;
  const url = new URL(current);
  url.searchParams.set('page', String(Number(url.searchParams.get('page') ?? '1') + 1));
  return url;
};

/**
 * Gitea's token endpoint answers `unauthorized_client` for a dead grant and for our own misconfiguration
 * alike; these descriptions are the dead grants (an unknown or spent code, a code issued for another PKCE
 * verifier, a refresh token used before or expired). Anything else under that code — "invalid client secret",
 * "unexpected redirect URI" — is our configuration and must not blame the user.
 */
const DEAD_GRANT_DESCRIPTIONS = new Set([
  'client is not authorized',
  'failed PKCE code challenge',
  'token was already used',
  'unable to parse refresh token',
]);

/**
 * Gitea and Forgejo (gitea.com, codeberg.org, self-hosted): OAuth2 with PKCE S256 at /login/oauth, access tokens
 * that live an hour, refresh tokens that die when used (rotation), the REST API under /api/v1. Personal tokens
 * go as `Authorization: token …`. Git takes any token as the password; the user name is not checked. Gitea has no
 * API to revoke a token of an OAuth application: a deleted authorization's token lives until it expires.
 */
@Injectable()
export class GiteaStrategy extends BaseProviderStrategy {
  static readonly descriptor: ProviderDescriptor = {
    repoType: 'gitea',
    displayName: 'Gitea',
    envPrefix: 'GITEA',
    webUrl: 'https://gitea.com',
    apiUrl: 'https://gitea.com/api/v1',
    selfHostedApiPath: '/api/v1',
    // Without scopes Gitea grants everything; these cover the profile, organizations and repositories.
    scopes: ['read:user', 'read:organization', 'write:repository'],
    pkce: true,
    secrets: {
      oauth: { api: 'bearer', gitUsername: ACCOUNT_LOGIN },
      personal: { api: 'token', gitUsername: ACCOUNT_LOGIN },
    },
  };
  readonly descriptor = GiteaStrategy.descriptor;
  protected readonly tokenPath = '/login/oauth/access_token';

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL {
    return this.codeAuthorizeUrl(app, '/login/oauth/authorize', params);
  }

  parseProfile(user: unknown): ProviderProfile {
    return loginProfile(user);
  }

  /** Gitea has no revocation API for OAuth applications. */
  revoke(): Promise<void> {
    return Promise.resolve();
  }

  protected override isGrantRefusal(error: OAuthError): boolean {
    return (
      super.isGrantRefusal(error) ||
      (error.error === 'unauthorized_client' &&
        DEAD_GRANT_DESCRIPTIONS.has(error.description ?? ''))
    );
  }

  /** The user, then `GET /user/orgs` (scope read:organization; without it, the user alone). */
  async listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]> {
    const api = this.api(ctx);
    const login = text(await api.getJson('/user'), 'login');
    let orgs: RepoNamespace[] = [];
    try {
      orgs = await api.collect(
        api.url('/user/orgs', PAGING.query),
        (json) =>
          listOf(json).map((o) => ({
            id: text(o, 'username'),
            name: optionalText(o, 'full_name') ?? text(o, 'username'),
          })),
        PAGING.next,
      );
    } catch (error) {
      if (!(error instanceof ProviderAnswerError) || error.status !== 403 || error.rateLimited)
        throw error;
    }
    return [{ id: login, name: login }, ...orgs.filter((o) => o.id !== login)];
  }

  showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail> {
    return this.api(ctx).getJson(repoPath(repo)).then(ownerAndName);
  }

  /** The user's own repositories (`/user/repos`, private ones included), an organization's, or another user's. */
  listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]> {
    return listNamespaceProjects(this.api(ctx), namespace, PAGING, { own: {}, org: {} });
  }

  listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]> {
    return listRefNames(this.api(ctx), repo, kind, PAGING);
  }

  /** Without the per-commit statistics, verification and file lists Gitea computes by default. */
  listCommits(ctx: RepoContext, repo: ProjectRef, ref: string | undefined): Promise<RepoCommit[]> {
    return listCommitsOf(this.api(ctx), repo, ref, {
      limit: 10,
      stat: false,
      verification: false,
      files: false,
    });
  }

  listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]> {
    const api = this.api(ctx);
    const url = api.url(repoPath(repo, `/git/trees/${encodeURIComponent(ref)}`), {
      recursive: true,
      per_page: TREE_PAGE_SIZE,
      page: 1,
    });
    return whenNotEmpty(api.collect(url, (json) => blobs(json, '').files, nextTreePage));
  }

  /** Content inline in `GET …/contents/{path}` up to Gitea's blob limit; beyond it `GET …/raw/{path}`. */
  async readFile(ctx: RepoContext, repo: ProjectRef, path: string, ref: string): Promise<RepoFile> {
    const api = this.api(ctx);
    const file = encodePath(path);
    const json = await whenNotEmpty(
      api.getFileJson(api.url(repoPath(repo, `/contents/${file}`), { ref }), path),
    );
    const answer = readContents(json, path, ctx.limits.maxFileBytes);
    if (answer.inline) return answer.file;
    const content = await api.getRaw(api.url(repoPath(repo, `/raw/${file}`), { ref }), path);
    return { path: answer.path, sha: gitBlobSha(content), content };
  }

  // ---- writes --------------------------------------------------------------------------------------------

  async createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject> {
    return projectOf(await createRepository(this.api(ctx), namespace, { name, private: true }));
  }

  /** With a message Gitea makes an annotated tag; a taken name is 409 "tag already exists". */
  async createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void> {
    await this.api(ctx).write('POST', repoPath(repo, '/tags'), {
      json: { tag_name: tag.name, target: tag.ref, message: tag.message },
    });
  }

  async deleteTag(ctx: RepoContext, repo: ProjectRef, name: string): Promise<void> {
    await this.api(ctx).write('DELETE', repoPath(repo, `/tags/${encodePath(name)}`));
  }

  listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]> {
    return listRepoHooks(this.api(ctx), repo, WRITES);
  }

  /** A `gitea` hook: deliveries signed with the secret (`X-Gitea-Signature`); `push` includes tag pushes. */
  async createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook> {
    const api = this.api(ctx);
    refuseDuplicateHook(api, await listRepoHooks(api, repo, WRITES), hook.url);
    const answer = await api.write(
      'POST',
      repoPath(repo, '/hooks'),
      {
        json: {
          type: 'gitea',
          active: true,
          events: ['push'],
          config: { url: hook.url, content_type: 'json', secret: hook.secret },
        },
      },
      { redact: [hook.secret] },
    );
    return hookOf(answer.json, WRITES);
  }

  async deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void> {
    await this.api(ctx).write('DELETE', repoPath(repo, `/hooks/${numericHookId(id)}`));
  }

  /** A file that exists is 422 "repository file already exists": "already exists". */
  createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void> {
    return createContents(this.api(ctx), repo, file, WRITES);
  }

  updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void> {
    return staleShaIs409(updateContents(this.api(ctx), repo, file));
  }

  deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void> {
    return staleShaIs409(deleteContents(this.api(ctx), repo, file));
  }
}
