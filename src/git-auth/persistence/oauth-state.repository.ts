import type { Bytes } from '../domain/authorization';

export interface OAuthStateBinding {
  readonly stateHash: Bytes;
  readonly projectId: string;
  readonly repoType: string;
  readonly tag: string;
}

export interface NewOAuthState extends OAuthStateBinding {
  readonly keyId: string | null;
  readonly codeVerifierSealed: Bytes | null;
  readonly expiresAt: Date;
}

/** What a pending state was issued for. */
export type PendingOAuthState = Omit<OAuthStateBinding, 'stateHash'>;

export interface ConsumedOAuthState {
  readonly keyId: string | null;
  readonly codeVerifierSealed: Bytes | null;
}

/** What consuming a state for a new authorization came to. */
export type StateConsumption =
  | { readonly outcome: 'consumed'; readonly state: ConsumedOAuthState }
  /** The project already has an authorization of that name: the state is left as it was. */
  | { readonly outcome: 'nameTaken' }
  /** Unknown, expired, already used, or issued for another project, repo type or tag. */
  | { readonly outcome: 'invalid' };

/** One-off OAuth states, kept in the database so that any replica can complete a flow another one started. */
export abstract class OAuthStateRepository {
  abstract create(state: NewOAuthState): Promise<void>;

  /**
   * Deletes and returns the state if it exists, is unexpired and is bound to exactly this project, repo type
   * and tag — in one statement, so of concurrent callers exactly one gets it. A state presented by another
   * project is left alone for its owner. So is one whose project already has an authorization named `name`
   * (checked first): the user's code stays unspent for another try under another name. That check is a
   * courtesy; the unique (project_id, name) index decides when the authorization is stored.
   */
  abstract consume(binding: OAuthStateBinding, name: string, now: Date): Promise<StateConsumption>;

  /** What an unexpired state was issued for, without consuming it (the callback page asks). */
  abstract findPending(stateHash: Bytes, now: Date): Promise<PendingOAuthState | null>;

  /** Removes up to `limit` expired states; returns how many. */
  abstract deleteExpired(now: Date, limit: number): Promise<number>;

  /** Key rotation: pending states whose PKCE verifier another key sealed are dropped (they live minutes). */
  abstract deleteSealedWithOtherKey(keyId: string): Promise<number>;
}
