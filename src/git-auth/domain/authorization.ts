export const TOKEN_TYPES = ['oauth', 'personal', 'password'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** The documented status values of an authorization. */
export const AuthorizationStatus = {
  NORMAL: 0,
  EXPIRED: 1,
  NOT_AUTHENTICATED: 2,
} as const;
export type AuthorizationStatus = (typeof AuthorizationStatus)[keyof typeof AuthorizationStatus];

/** What the service knows of an authorization, without its secrets. */
export interface Authorization {
  readonly projectId: string;
  readonly name: string;
  /** A registered provider's repo type when stored; the registry refuses any other. */
  readonly repoType: string;
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

/** What the database sets on a new row. */
export type StoredDefaults = Pick<Authorization, 'status' | 'createdAt' | 'updatedAt'>;

/**
 * The public part of an authorization, without its sealed secrets: what may leave the services. `stored` gives
 * the database's own fields when `a` is the row as it was sent (an insert's answer).
 */
export function publicView(
  a: Omit<Authorization, keyof StoredDefaults>,
  stored: StoredDefaults,
): Authorization {
  return {
    projectId: a.projectId,
    name: a.name,
    repoType: a.repoType,
    tag: a.tag,
    tokenType: a.tokenType,
    repoHost: a.repoHost,
    apiUrl: a.apiUrl,
    repoHome: a.repoHome,
    repoUser: a.repoUser,
    avatar: a.avatar,
    status: stored.status,
    tokenExpiresAt: a.tokenExpiresAt,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

/**
 * What a listing shows of an authorization: no secrets, no API URL, times as epoch milliseconds. The list is the
 * hottest read, so the persistence layer reads rows straight into this shape (no Date per timestamp).
 */
export interface AuthorizationSummary {
  readonly name: string;
  readonly repoType: string;
  readonly tag: string;
  readonly tokenType: TokenType;
  readonly repoHost: string;
  readonly repoHome: string;
  readonly repoUser: string;
  readonly avatar: string;
  readonly status: AuthorizationStatus;
  readonly createTime: number;
  readonly updateTime: number;
}

export function summaryOf(a: Authorization): AuthorizationSummary {
  return {
    name: a.name,
    repoType: a.repoType,
    tag: a.tag,
    tokenType: a.tokenType,
    repoHost: a.repoHost,
    repoHome: a.repoHome,
    repoUser: a.repoUser,
    avatar: a.avatar,
    status: a.status,
    createTime: a.createdAt.getTime(),
    updateTime: a.updatedAt.getTime(),
  };
}

/** Binary column values as Prisma reads and writes them. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** The sealed secrets of a row and the key that sealed them. */
export interface SealedSecrets {
  readonly keyId: string;
  /** Access token, personal token or password. */
  readonly secretSealed: Bytes;
  readonly refreshTokenSealed: Bytes | null;
}

export interface TokenLifetimes {
  readonly tokenExpiresAt: Date | null;
  readonly refreshTokenExpiresAt: Date | null;
  readonly scope: string | null;
}

/** A row as stored, secrets still sealed: only the persistence and credential layers see it. */
export interface StoredAuthorization extends Authorization, SealedSecrets, TokenLifetimes {
  readonly id: string;
  /** The user name given for a password authorization (may differ from the profile's repo_user). */
  readonly login: string | null;
}

/**
 * A row as handing out or using its credential reads it: where it is used and its secret, still sealed. Not the
 * refresh token or the listing's fields (the refresh path reads the whole row under its lock).
 */
export type SealedCredential = Pick<
  StoredAuthorization,
  | 'projectId'
  | 'name'
  | 'repoType'
  | 'tag'
  | 'tokenType'
  | 'repoHost'
  | 'apiUrl'
  | 'repoUser'
  | 'login'
  | 'status'
  | 'keyId'
  | 'secretSealed'
  | 'tokenExpiresAt'
>;

export type NewAuthorization = Omit<
  Authorization,
  'status' | 'tokenExpiresAt' | 'createdAt' | 'updatedAt'
> &
  SealedSecrets &
  TokenLifetimes & { readonly login: string | null };

export interface ProfileFields {
  readonly repoUser: string;
  readonly repoHome: string;
  readonly avatar: string;
}
