import type {
  Authorization,
  AuthorizationStatus,
  AuthorizationSummary,
  Bytes,
  NewAuthorization,
  ProfileFields,
  SealedCredential,
  SealedSecrets,
  StoredAuthorization,
  TokenLifetimes,
} from '../domain/authorization';

/** Tokens a provider returned on refresh, sealed for their row. */
export interface TokensUpdate {
  readonly kind: 'tokens';
  readonly secrets: SealedSecrets;
  readonly lifetimes: TokenLifetimes;
}

/** What a refresh decided, applied in the same transaction that holds the row lock. */
export type LockedUpdate =
  | TokensUpdate
  | { readonly kind: 'status'; readonly status: AuthorizationStatus }
  | { readonly kind: 'none' };

/** Another transaction held the row lock longer than the bounded wait (a refresh in another replica). */
export class RowLockTimeoutError extends Error {
  constructor() {
    super('the authorization is locked by another transaction');
    this.name = 'RowLockTimeoutError';
  }
}

/**
 * Persistence port of the authorizations. Every method is scoped by project id, so one project can never
 * reach another's rows, whatever the layers above do.
 */
export abstract class AuthorizationRepository {
  /** The project's authorizations, oldest first (then by name). */
  abstract listByProject(projectId: string): Promise<AuthorizationSummary[]>;

  abstract exists(projectId: string, name: string): Promise<boolean>;

  /** Throws AppError ALREADY_EXISTS when the name is taken: the unique index decides, not a prior read. */
  abstract create(authorization: NewAuthorization): Promise<Authorization>;

  abstract find(projectId: string, name: string): Promise<StoredAuthorization | null>;

  /** The columns a credential needs (the credential endpoint and X-Repo-Auth, on every call). */
  abstract findSealedCredential(projectId: string, name: string): Promise<SealedCredential | null>;

  /**
   * How many OAuth authorizations, in any project, hold tokens of this provider account through this OAuth
   * application. The one query across projects: it answers a count, never a row.
   */
  abstract countGrantHolders(
    grant: Pick<Authorization, 'repoType' | 'tag' | 'repoHost' | 'repoUser'>,
  ): Promise<number>;

  /** Removes and returns the row, or null if the project has no authorization of that name. */
  abstract delete(projectId: string, name: string): Promise<StoredAuthorization | null>;

  /**
   * Records the verdict of a check at the provider — unless the row no longer holds the secret that was
   * checked (a concurrent refresh replaced it: the verdict is about a token that is gone). Returns the row as it
   * is now, or null when it no longer exists.
   */
  abstract recordCheck(
    projectId: string,
    name: string,
    checked: Bytes,
    outcome: { status: AuthorizationStatus; profile?: ProfileFields },
  ): Promise<Authorization | null>;

  /**
   * Runs `decide` while holding a row lock (SELECT … FOR UPDATE) on the authorization, then applies its
   * decision in the same transaction. Concurrent callers, in any replica, run one after the other and each
   * sees the row as the previous one left it. Returns null when there is no such row. A wait for the lock is
   * bounded: past it, RowLockTimeoutError.
   */
  abstract withRowLock(
    projectId: string,
    name: string,
    decide: (current: StoredAuthorization) => Promise<LockedUpdate>,
  ): Promise<StoredAuthorization | null>;

  /**
   * Stores refreshed tokens without the row lock, when the transaction of withRowLock could not commit them (the
   * provider has spent the old refresh token: these are the only copy). Only if the row still holds `spent`, the
   * sealed refresh token they were obtained with, so nothing stored since is overwritten. Returns the row as it
   * is afterwards (holding these tokens if they were stored now or by a commit that succeeded after all), or
   * null when the authorization no longer exists.
   */
  abstract storeRefreshedTokens(
    projectId: string,
    name: string,
    spent: Bytes,
    update: TokensUpdate,
  ): Promise<StoredAuthorization | null>;

  /** Key rotation: up to `limit` rows sealed with another key than `keyId`, by id, after `afterId`. */
  abstract findSealedWithOtherKey(
    keyId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredAuthorization[]>;

  /**
   * Key rotation: replaces the sealed secrets of a row read by findSealedWithOtherKey — unless it changed since
   * (a refresh meanwhile, whose secrets must not be overwritten with older ones). Returns whether it was replaced.
   */
  abstract reseal(read: StoredAuthorization, secrets: SealedSecrets): Promise<boolean>;

  abstract countSealedWith(keyId: string): Promise<number>;
}
