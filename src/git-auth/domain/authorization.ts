import type { AuthorizationStatus, RepoType, TokenType } from './repo-type';

/** What the service knows of an authorization, without its secrets. */
export interface Authorization {
  readonly projectId: string;
  readonly name: string;
  readonly repoType: RepoType;
  readonly tag: string;
  readonly tokenType: TokenType;
  readonly repoHost: string;
  readonly apiUrl: string;
  readonly repoHome: string;
  readonly repoUser: string;
  readonly avatar: string;
  readonly status: AuthorizationStatus;
  readonly tokenExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
