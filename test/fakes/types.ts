import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from './http';

/** The fake providers' public types and the records they keep. */

/** A fake's provider: the repo type of the strategy it stands in front of. */
export type FakeKind = string;

/** What the real provider does, as the e2e tests expect to observe it through the service. */
export interface ProviderFacts {
  /** Verifies PKCE (S256) when the authorize request carried a challenge. */
  readonly pkce: boolean;
  /** Deleting an OAuth authorization withdraws the grant, revokes the token, or cannot (no API). */
  readonly revocation: 'grant' | 'token' | 'none';
  /**
   * A refresh token dies once used, and the answer carries the next one (GitHub: its App user tokens): a refresh
   * whose answer is not stored loses the grant.
   */
  readonly rotatesRefreshTokens: boolean;
  /** A refresh also ends the access token it replaces (else that one lives until it expires). */
  readonly refreshEndsOldAccessToken: boolean;
  /** Its lists name their next page by URL (Link header or body), which a hostile provider could point elsewhere. */
  readonly nextPageByUrl: boolean;
  /** The largest file its contents API answers inline (larger ones need its raw route). */
  readonly inlineContentLimit: number;
  /** How its API identifies a repository: by path (or slug), or by a numeric id (GitLab). */
  readonly projectIds: 'path' | 'numeric';
  /** Repositories have a display name besides their path (shown as `name`/`project`). */
  readonly displayNames: boolean;
}

/** Who calls the repository API, with what the credential allows. */
export interface ApiCaller {
  readonly user: FakeUser;
  readonly scopes: readonly string[];
}

export interface FakeUser {
  username: string;
  id: number;
  name: string;
  avatarUrl: string;
  homeUrl: string;
}

export interface FakeApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** What the consent page calls the application (its client id when unset). */
  name?: string;
}

/** `drop` destroys the socket without answering. */
export type Fault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { delayMs: number }
  | { drop: true }
  /** A 200 whose JSON body arrives a byte every `trickleMs`: each wait is short, the whole answer is not. */
  | { trickleMs: number };

/**
 * `git`: the smart-HTTP discovery of a repository (`GET /{owner}/{repo}.git/info/refs`), as git clone starts.
 * The rest are the repository API's route families, whatever the provider calls them.
 */
export type FakeEndpoint = 'authorize' | 'token' | 'user' | 'revoke' | 'git' | RepoEndpoint;

export type RepoEndpoint =
  | 'namespaces'
  | 'projects'
  | 'project'
  | 'branches'
  | 'tags'
  | 'commits'
  | 'trees'
  | 'contents'
  | 'hooks';

export interface RecordedCall {
  /** `other`: a path the fake doesn't serve as one of the four endpoints (404s, GitLab's /oauth/token/info). */
  endpoint: FakeEndpoint | 'other';
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The grant_type the client sent (query or body), token calls only. */
  grantType?: string;
}

export interface AuthorizeResult {
  code: string;
  state: string;
  location: URL;
  /** Only with `{ deny: true }`: the error the provider redirected with. */
  error?: string;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: Params;
  body: string;
  /** The body's bytes (multipart uploads carry binary files). */
  rawBody: Buffer;
}

export interface Route {
  endpoint: FakeEndpoint | 'other';
  handle(ctx: RequestContext): void;
}

export type TokenType = 'access' | 'refresh' | 'personal';

export interface TokenRecord {
  token: string;
  type: TokenType;
  username: string;
  /** OAuth tokens only. */
  clientId?: string;
  /** Space-separated, as requested at authorize (personal tokens: their scopes). */
  scope: string;
  issuedAt: number;
  /** Epoch ms; undefined = never expires. */
  expiresAt?: number;
  revoked: boolean;
  /** The other half of an access/refresh pair. */
  partner?: TokenRecord;
}

export interface CodeRecord {
  code: string;
  clientId: string;
  username: string;
  /** redirect_uri exactly as sent to authorize (undefined when omitted); token requests are checked against it. */
  requestedRedirectUri?: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  used: boolean;
}

export type TokenCheck =
  | { state: 'ok'; record: TokenRecord; user: FakeUser }
  | { state: 'expired' | 'revoked'; record: TokenRecord }
  | { state: 'unknown' };

/** What a provider decides about an authorize request from a signed-in user. */
export type AuthorizeDecision =
  | {
      kind: 'approve';
      app: FakeApp;
      /** Where the browser goes back to. */
      redirectUri: string;
      requestedRedirectUri?: string;
      scope: string;
      codeChallenge?: string;
      codeChallengeMethod?: string;
    }
  /** Not redirectable (unknown client, bad redirect_uri): the user sees an error page. */
  | { kind: 'error-page'; status: number; message: string }
  | { kind: 'error-redirect'; redirectUri: string; params: Params };
