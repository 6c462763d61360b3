import { randomUUID } from 'node:crypto';
import { nameTaken } from '../../src/git-auth/domain/errors';
import {
  type Authorization,
  AuthorizationStatus,
  type AuthorizationSummary,
  type Bytes,
  type NewAuthorization,
  type ProfileFields,
  publicView,
  type SealedCredential,
  type SealedSecrets,
  type StoredAuthorization,
  summaryOf,
} from '../../src/git-auth/domain/authorization';
import {
  AuthorizationRepository,
  type LockedUpdate,
  type TokensUpdate,
} from '../../src/git-auth/persistence/authorization.repository';
import {
  type StateConsumption,
  type NewOAuthState,
  type OAuthStateBinding,
  OAuthStateRepository,
  type PendingOAuthState,
} from '../../src/git-auth/persistence/oauth-state.repository';

/**
 * Returns `port` with only the `allowed` methods usable: calling any other fails the test, so a unit test states
 * what the code under test may do with its repository (immich's strict fakes, with real in-memory behaviour).
 */
export function strict<T extends object>(port: T, allowed: readonly (keyof T)[]): T {
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // Bound to the port itself: its own internal calls are not the caller's.
      if (allowed.includes(property as keyof T))
        return (value as (...args: unknown[]) => unknown).bind(target);
      return () => {
        throw new Error(`unexpected call: ${String(property)}()`);
      };
    },
  });
}

const key = (projectId: string, name: string) => `${projectId}\u0000${name}`;

const sameBytes = (a: Bytes | null, b: Bytes | null) =>
  a !== null && b !== null && Buffer.from(a).equals(Buffer.from(b));

/**
 * How a write of refreshed tokens fails: `lost` the database went away before it was applied; `unacknowledged`
 * it was applied (committed) but the answer never arrived.
 */
export type WriteFault = 'lost' | 'unacknowledged';

/** What node-postgres throws when the server goes away mid-transaction (the service answers it with 503). */
export const connectionTerminated = () => new Error('Connection terminated unexpectedly');

/**
 * The authorization port in memory, with the behaviour its contract promises: project scoping, the unique
 * name, row locks that serialize (one `decide` at a time per row), and the guards of recordCheck and reseal.
 */
export class InMemoryAuthorizations extends AuthorizationRepository {
  readonly rows = new Map<string, StoredAuthorization>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly writeFaults: WriteFault[] = [];
  private clock = Date.parse('2026-11-28T12:00:00Z');

  /**
   * The next writes of refreshed tokens (the locked transaction's, then storeRefreshedTokens'), one fault each,
   * fail as if the database went away.
   */
  failTokenWrites(...faults: WriteFault[]): void {
    this.writeFaults.push(...faults);
  }

  /** How many injected write faults have not happened yet. */
  get pendingWriteFaults(): number {
    return this.writeFaults.length;
  }

  /** A stored row, for tests to arrange; returns it. */
  put(row: Partial<StoredAuthorization> & Pick<StoredAuthorization, 'projectId' | 'name'>) {
    const now = this.tick();
    const stored: StoredAuthorization = {
      id: randomUUID(),
      repoType: 'gitlab',
      tag: '',
      tokenType: 'oauth',
      repoHost: 'https://gitlab.com',
      apiUrl: 'https://gitlab.com/api/v4',
      repoHome: '',
      repoUser: 'octo',
      avatar: '',
      login: null,
      status: AuthorizationStatus.NORMAL,
      keyId: 'k',
      secretSealed: new Uint8Array(new ArrayBuffer(1)),
      refreshTokenSealed: null,
      tokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      scope: null,
      createdAt: now,
      updatedAt: now,
      ...row,
    };
    this.rows.set(key(row.projectId, row.name), stored);
    return stored;
  }

  get(projectId: string, name: string): StoredAuthorization | undefined {
    return this.rows.get(key(projectId, name));
  }

  listByProject(projectId: string): Promise<AuthorizationSummary[]> {
    const rows = [...this.rows.values()].filter((r) => r.projectId === projectId);
    rows.sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.name.localeCompare(b.name),
    );
    return Promise.resolve(rows.map(summaryOf));
  }

  exists(projectId: string, name: string): Promise<boolean> {
    return Promise.resolve(this.rows.has(key(projectId, name)));
  }

  create(a: NewAuthorization): Promise<Authorization> {
    if (this.rows.has(key(a.projectId, a.name))) return Promise.reject(nameTaken(a.name));
    const row = this.put({ ...a, status: AuthorizationStatus.NORMAL });
    return Promise.resolve(publicView(row, row));
  }

  find(projectId: string, name: string): Promise<StoredAuthorization | null> {
    return Promise.resolve(this.rows.get(key(projectId, name)) ?? null);
  }

  findSealedCredential(projectId: string, name: string): Promise<SealedCredential | null> {
    const row = this.rows.get(key(projectId, name));
    if (!row) return Promise.resolve(null);
    const { projectId: p, name: n, repoType, tag, tokenType, repoHost, apiUrl } = row;
    const { repoUser, login, status, keyId, secretSealed, tokenExpiresAt } = row;
    return Promise.resolve({
      ...{ projectId: p, name: n, repoType, tag, tokenType, repoHost, apiUrl },
      ...{ repoUser, login, status, keyId, secretSealed, tokenExpiresAt },
    });
  }

  countGrantHolders(
    grant: Pick<Authorization, 'repoType' | 'tag' | 'repoHost' | 'repoUser'>,
  ): Promise<number> {
    const holders = [...this.rows.values()].filter(
      (r) =>
        r.tokenType === 'oauth' &&
        r.repoType === grant.repoType &&
        r.tag === grant.tag &&
        r.repoHost === grant.repoHost &&
        r.repoUser === grant.repoUser,
    );
    return Promise.resolve(holders.length);
  }

  delete(projectId: string, name: string): Promise<StoredAuthorization | null> {
    const row = this.rows.get(key(projectId, name)) ?? null;
    this.rows.delete(key(projectId, name));
    return Promise.resolve(row);
  }

  recordCheck(
    projectId: string,
    name: string,
    checked: Bytes,
    outcome: { status: AuthorizationStatus; profile?: ProfileFields },
  ): Promise<Authorization | null> {
    const row = this.rows.get(key(projectId, name));
    if (!row) return Promise.resolve(null);
    if (sameBytes(row.secretSealed, checked))
      this.update(row, { status: outcome.status, ...outcome.profile });
    const updated = this.rows.get(key(projectId, name))!;
    return Promise.resolve(publicView(updated, updated));
  }

  async withRowLock(
    projectId: string,
    name: string,
    decide: (current: StoredAuthorization) => Promise<LockedUpdate>,
  ): Promise<StoredAuthorization | null> {
    const k = key(projectId, name);
    const previous = this.locks.get(k) ?? Promise.resolve();
    const mine = previous.then(async () => {
      const current = this.rows.get(k);
      if (!current) return null;
      const update = await decide(current);
      switch (update.kind) {
        case 'none':
          return current;
        case 'status':
          return this.update(current, { status: update.status });
        case 'tokens':
          return this.writeTokens(current, update);
      }
    });
    this.locks.set(
      k,
      mine.catch(() => undefined),
    );
    return mine;
  }

  storeRefreshedTokens(
    projectId: string,
    name: string,
    spent: Bytes,
    update: TokensUpdate,
  ): Promise<StoredAuthorization | null> {
    // A write fault is a rejection, as with a database.
    return Promise.resolve().then(() => {
      const row = this.rows.get(key(projectId, name));
      if (row && sameBytes(row.refreshTokenSealed, spent)) this.writeTokens(row, update);
      return this.rows.get(key(projectId, name)) ?? null;
    });
  }

  findSealedWithOtherKey(
    keyId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredAuthorization[]> {
    const rows = [...this.rows.values()]
      .filter((r) => r.keyId !== keyId && (afterId === undefined || r.id > afterId))
      .sort((a, b) => a.id.localeCompare(b.id));
    return Promise.resolve(rows.slice(0, limit));
  }

  reseal(read: StoredAuthorization, secrets: SealedSecrets): Promise<boolean> {
    const row = this.rows.get(key(read.projectId, read.name));
    if (!row || row.keyId !== read.keyId || row.updatedAt.getTime() !== read.updatedAt.getTime())
      return Promise.resolve(false);
    this.update(row, secrets);
    return Promise.resolve(true);
  }

  countSealedWith(keyId: string): Promise<number> {
    return Promise.resolve([...this.rows.values()].filter((r) => r.keyId === keyId).length);
  }

  /** A write of refreshed tokens, unless an injected fault says otherwise. */
  private writeTokens(row: StoredAuthorization, update: TokensUpdate): StoredAuthorization {
    const fault = this.writeFaults.shift();
    if (fault === 'lost') throw connectionTerminated();
    const written = this.update(row, {
      ...update.secrets,
      ...update.lifetimes,
      status: AuthorizationStatus.NORMAL,
    });
    if (fault === 'unacknowledged') throw connectionTerminated();
    return written;
  }

  private update(
    row: StoredAuthorization,
    change: Partial<StoredAuthorization>,
  ): StoredAuthorization {
    const updated = { ...row, ...change, updatedAt: this.tick() };
    this.rows.set(key(row.projectId, row.name), updated);
    return updated;
  }

  /** Distinct, increasing times, like a database's clock between statements. */
  private tick(): Date {
    this.clock += 1;
    return new Date(this.clock);
  }
}

/**
 * The OAuth state port in memory: a state is consumed by exactly one caller with exactly its binding, and by none
 * while the project has an authorization of the name asked for (checked in `authorizations`).
 */
export class InMemoryOAuthStates extends OAuthStateRepository {
  readonly states = new Map<string, NewOAuthState>();

  constructor(private readonly authorizations: Pick<AuthorizationRepository, 'exists'>) {
    super();
  }

  create(state: NewOAuthState): Promise<void> {
    this.states.set(Buffer.from(state.stateHash).toString('hex'), state);
    return Promise.resolve();
  }

  async consume(binding: OAuthStateBinding, name: string, now: Date): Promise<StateConsumption> {
    if (await this.authorizations.exists(binding.projectId, name)) return { outcome: 'nameTaken' };
    const k = Buffer.from(binding.stateHash).toString('hex');
    const state = this.states.get(k);
    if (
      !state ||
      state.projectId !== binding.projectId ||
      state.repoType !== binding.repoType ||
      state.tag !== binding.tag ||
      state.expiresAt <= now
    )
      return { outcome: 'invalid' };
    this.states.delete(k);
    return {
      outcome: 'consumed',
      state: { keyId: state.keyId, codeVerifierSealed: state.codeVerifierSealed },
    };
  }

  findPending(stateHash: Bytes, now: Date): Promise<PendingOAuthState | null> {
    const state = this.states.get(Buffer.from(stateHash).toString('hex'));
    if (!state || state.expiresAt <= now) return Promise.resolve(null);
    return Promise.resolve({
      projectId: state.projectId,
      repoType: state.repoType,
      tag: state.tag,
    });
  }

  deleteExpired(now: Date, limit: number): Promise<number> {
    const expired = [...this.states].filter(([, s]) => s.expiresAt <= now).slice(0, limit);
    for (const [k] of expired) this.states.delete(k);
    return Promise.resolve(expired.length);
  }

  deleteSealedWithOtherKey(keyId: string): Promise<number> {
    const other = [...this.states].filter(([, s]) => s.keyId !== null && s.keyId !== keyId);
    for (const [k] of other) this.states.delete(k);
    return Promise.resolve(other.length);
  }
}
