export const REPO_TYPES = ['github', 'gitlab', 'gitee', 'bitbucket'] as const;
export type RepoType = (typeof REPO_TYPES)[number];

export function isRepoType(value: string): value is RepoType {
  return (REPO_TYPES as readonly string[]).includes(value);
}

export const TOKEN_TYPES = ['oauth', 'personal', 'password'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** API.md's status values. */
export const AuthorizationStatus = {
  NORMAL: 0,
  EXPIRED: 1,
  NOT_AUTHENTICATED: 2,
} as const;
export type AuthorizationStatus = (typeof AuthorizationStatus)[keyof typeof AuthorizationStatus];
