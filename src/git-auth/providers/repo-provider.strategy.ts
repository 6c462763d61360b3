import type { OAuthApp } from './providers.config';
import type { TokenType } from '../domain/authorization';
import type { ProviderDescriptor } from './provider-descriptor';
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

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Absent: the token does not expire (GitHub OAuth App tokens, personal tokens without expiry). */
  readonly expiresAt?: Date;
  readonly refreshTokenExpiresAt?: Date;
  readonly scope?: string;
}

/** A provider call's own bound, where it differs from PROVIDER_TIMEOUT_MS. */
export interface CallBound {
  readonly timeoutMs?: number;
}

export interface ProviderProfile {
  readonly username: string;
  readonly homeUrl: string;
  readonly avatarUrl: string;
}

/** A secret as a provider's REST API takes it (see CredentialStyle). */
export type ProviderCredential =
  | { readonly kind: 'bearer' | 'token'; readonly token: string }
  | { readonly kind: 'query'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

/** Where a provider's REST API is, and whether its host came from a caller (then it is contacted guarded). */
export interface ApiTarget {
  readonly webUrl: string;
  readonly apiUrl: string;
  readonly guarded: boolean;
}

export type RevocationScope = 'token' | 'grant';

export interface GitCredential {
  readonly username: string;
  readonly password: string;
}

/**
 * One git provider: its descriptor (data) and what it does (behaviour). One class per provider, in one file,
 * registered in registered-providers.ts; services never branch on the provider or on the kind of secret.
 *
 * Operations on repositories are one method per operation family, taking a RepoContext (the ApiTarget, the
 * ProviderCredential that `apiCredential` builds, the account login and the limits). They answer in the
 * provider-neutral shapes of repo-model.ts and fail with the provider errors: ProviderRejectedError for a refused
 * credential (401), ProviderAnswerError for anything else the provider said no to.
 */
export interface RepoProviderStrategy {
  readonly descriptor: ProviderDescriptor;

  authorizeUrl(app: OAuthApp, params: { state: string; codeChallenge?: string }): URL;
  /** Never retried: authorization codes are single use. */
  exchangeCode(app: OAuthApp, params: { code: string; codeVerifier?: string }): Promise<TokenSet>;
  /** `bound`: a refresh may outlive its caller's wait (REFRESH_TIMEOUT_MS); never retried (rotation). */
  refresh(app: OAuthApp, refreshToken: string, bound?: CallBound): Promise<TokenSet>;
  /** `GET {api}/user`; a refused credential is ProviderRejectedError. */
  fetchProfile(target: ApiTarget, credential: ProviderCredential): Promise<ProviderProfile>;
  /**
   * Revokes upstream where the provider has an API for it (else resolves doing nothing): `token` revokes this
   * access token only; `grant` also withdraws the user's approval of the app, where the provider tells the two
   * apart (GitHub), which ends every token of that user for the app.
   */
  revoke(app: OAuthApp, accessToken: string, scope: RevocationScope): Promise<void>;
  /** The secret as the provider's REST API takes it; `login` is the account's (needed for HTTP Basic). */
  apiCredential(tokenType: TokenType, secret: string, login?: string): ProviderCredential;
  /** What `git clone https://username:password@host/…` needs. */
  gitCredential(tokenType: TokenType, secret: string, login: string): GitCredential;

  /** Every namespace the authorization can see: the account's own first, then organizations/groups/workspaces. */
  listNamespaces(ctx: RepoContext): Promise<RepoNamespace[]>;
  /** One repository, as a clone URL or a path names it. */
  showProject(ctx: RepoContext, repo: ProjectRef): Promise<ProjectDetail>;
  /** The repositories of a namespace that the authorization can read. */
  listProjects(ctx: RepoContext, namespace: string): Promise<RepoProject[]>;
  /** Every branch or tag name. */
  listRefs(ctx: RepoContext, repo: ProjectRef, kind: RefKind): Promise<string[]>;
  /** The latest 10 commits of `ref` (the default branch without one), newest first; an empty repository has none. */
  listCommits(ctx: RepoContext, repo: ProjectRef, ref: string | undefined): Promise<RepoCommit[]>;
  /** The path of every file (blob) at `ref`, recursively; no directories, no submodules. */
  listFiles(ctx: RepoContext, repo: ProjectRef, ref: string): Promise<string[]>;
  /** A file's content at `ref`; a directory or submodule, or a file over the limit, is refused. */
  readFile(ctx: RepoContext, repo: ProjectRef, path: string, ref: string): Promise<RepoFile>;

  // Writes. Each fails with ProviderAnswerError as the provider said it (mapped by meaning: a name that is taken
  // is an "already exists", a stale sha a 409), or with an AppError where the service decides (0401: the
  // provider has no way to do it; 0400, 0403, 0409, 0456 found out before anything was written).

  /** A private repository `name` in `namespace`; a name already taken is "already exists". */
  createProject(ctx: RepoContext, namespace: string, name: string): Promise<RepoProject>;
  createTag(ctx: RepoContext, repo: ProjectRef, tag: NewTag): Promise<void>;
  /** An unknown tag is "not found". */
  deleteTag(ctx: RepoContext, repo: ProjectRef, name: string): Promise<void>;
  listHooks(ctx: RepoContext, repo: ProjectRef): Promise<RepoHook[]>;
  /** A hook with the same URL already registered is "already exists", at every provider. */
  createHook(ctx: RepoContext, repo: ProjectRef, hook: NewHook): Promise<RepoHook>;
  deleteHook(ctx: RepoContext, repo: ProjectRef, id: string): Promise<void>;
  /** A file that exists is "already exists"; a branch that does not, "not found". */
  createFile(ctx: RepoContext, repo: ProjectRef, file: NewFile): Promise<void>;
  /** A missing file is "not found", another blob SHA a conflict (0409): nothing is written then. */
  updateFile(ctx: RepoContext, repo: ProjectRef, file: FileUpdate): Promise<void>;
  deleteFile(ctx: RepoContext, repo: ProjectRef, file: FileDeletion): Promise<void>;
}

/** A strategy class as registered: its descriptor is readable without an instance. */
export interface RepoProviderStrategyClass {
  readonly descriptor: ProviderDescriptor;
  new (...args: never[]): RepoProviderStrategy;
}
