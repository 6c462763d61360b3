import type {
  Authorization,
  NewAuthorization,
  ProfileFields,
  SealedSecrets,
  StoredAuthorization,
  TokenLifetimes,
} from '../domain/authorization';
import type { AuthorizationStatus } from '../domain/repo-type';

/** What a refresh decided, applied in the same transaction that holds the row lock. */
export type LockedUpdate =
  | { readonly kind: 'tokens'; readonly secrets: SealedSecrets; readonly lifetimes: TokenLifetimes }
  | { readonly kind: 'status'; readonly status: AuthorizationStatus }
  | { readonly kind: 'none' };

/**
 * Persistence port of the authorizations. Every method is scoped by project id, so one project can never
 * reach another's rows, whatever the layers above do.
 */
export abstract class AuthorizationRepository {
  abstract listByProject(projectId: string): Promise<Authorization[]>;

  abstract exists(projectId: string, name: string): Promise<boolean>;

  /** Throws AppError ALREADY_EXISTS when the name is taken: the unique index decides, not a prior read. */
  abstract create(authorization: NewAuthorization): Promise<StoredAuthorization>;

  abstract find(projectId: string, name: string): Promise<StoredAuthorization | null>;

  /** Removes and returns the row, or null if the project has no authorization of that name. */
  abstract delete(projectId: string, name: string): Promise<StoredAuthorization | null>;

  abstract updateStatus(
    projectId: string,
    name: string,
    status: AuthorizationStatus,
  ): Promise<StoredAuthorization | null>;

  /** A successful check against the provider: fresh profile, status normal. */
  abstract updateProfile(
    projectId: string,
    name: string,
    profile: ProfileFields,
  ): Promise<StoredAuthorization | null>;

  /**
   * Runs `decide` while holding a row lock (SELECT … FOR UPDATE) on the authorization, then applies its
   * decision in the same transaction. Concurrent callers, in any replica, run one after the other and each
   * sees the row as the previous one left it. Returns null when there is no such row.
   */
  abstract withRowLock(
    projectId: string,
    name: string,
    decide: (current: StoredAuthorization) => Promise<LockedUpdate>,
  ): Promise<StoredAuthorization | null>;
}
