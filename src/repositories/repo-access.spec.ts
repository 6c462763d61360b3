import { asRequest, inMemoryAuditTrail, TEST_CALLER } from '../../test/support/in-memory-audit';
import { InMemoryAuthorizations, strict } from '../../test/support/in-memory-store';
import { appErrorOf } from '../../test/support/thrown';
import {
  apps,
  gitAuthConfig,
  refresherOf,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { CredentialService } from '../git-auth/credential.service';
import { AuthorizationStatus } from '../git-auth/domain/authorization';
import { GitHostResolver } from '../git-auth/git-host-resolver';
import type { AuthorizationRepository } from '../git-auth/persistence/authorization.repository';
import { ProviderAnswerError, ProviderRejectedError } from '../git-auth/providers/provider-errors';
import type { RepoContext } from '../git-auth/providers/repo-api/repo-model';
import type { RepoProviderStrategy, TokenSet } from '../git-auth/providers/repo-provider.strategy';
import { RepoAccess } from './repo-access';
import { loadRepositoriesConfig } from './repositories.config';

const PROJECT = 'p1';
const NAME = 'my-gitlab';
const MINUTE = 60_000;

function setup(
  allowed: (keyof AuthorizationRepository)[],
  steps: Partial<RepoProviderStrategy> = {},
) {
  const store = new InMemoryAuthorizations();
  const strategy = strategyOf('gitlab', steps);
  const authorizations = strict<AuthorizationRepository>(store, allowed);
  const registry = registryWith(strategy);
  const credentials = new CredentialService(
    authorizations,
    registry,
    refresherOf(authorizations, registry),
    new GitHostResolver(apps, gitAuthConfig),
    secrets,
    gitAuthConfig,
  );
  const audit = inMemoryAuditTrail();
  const access = new RepoAccess(credentials, audit.trail, loadRepositoriesConfig({}));
  return { store, access, strategy, audit: audit.events };
}

function stored(store: InMemoryAuthorizations, expiresInMs: number | null) {
  return store.put({
    projectId: PROJECT,
    name: NAME,
    repoUser: 'jdoe',
    ...secrets.seal({ projectId: PROJECT, name: NAME }, 'access-1', 'refresh-1'),
    tokenExpiresAt: expiresInMs === null ? null : new Date(Date.now() + expiresInMs),
  });
}

describe('RepoAccess: the one resolution of X-Repo-Auth', () => {
  it('refuses a missing or malformed name with 0400, before any lookup', async () => {
    const { access } = setup([]);
    const never = () => Promise.reject(new Error('must not run'));
    expect((await appErrorOf(access.run(PROJECT, undefined, 'listBranches', never))).key).toBe(
      'INVALID_PARAMETER',
    );
    expect((await appErrorOf(access.run(PROJECT, 'a b', 'listBranches', never))).key).toBe(
      'INVALID_PARAMETER',
    );
    expect((await appErrorOf(access.run(PROJECT, ['x', 'y'], 'listBranches', never))).key).toBe(
      'INVALID_PARAMETER',
    );
  });

  it('an unknown name is 0450', async () => {
    const { access } = setup(['findSealedCredential', 'find']);
    const error = await appErrorOf(
      access.run(PROJECT, NAME, 'listBranches', () => Promise.resolve()),
    );
    expect(error.key).toBe('AUTHORIZATION_NOT_FOUND');
  });

  it("hands the operation the provider's credential, the login and the limits", async () => {
    const { store, access, strategy } = setup(['findSealedCredential', 'find']);
    stored(store, 60 * MINUTE);
    let seen: RepoContext | undefined;
    const provider = await access.run(PROJECT, NAME, 'listBranches', (p, ctx) => {
      seen = ctx;
      return Promise.resolve(p);
    });
    expect(provider).toBe(strategy);
    expect(seen).toMatchObject({
      credential: { kind: 'bearer', token: 'access-1' },
      login: 'jdoe',
      limits: { maxListItems: 10_000, maxFileBytes: 1024 * 1024 },
      target: { guarded: false },
    });
  });

  it('refreshes a token that expires soon first, as the credential endpoint does', async () => {
    const refresh = jest.fn((): Promise<TokenSet> =>
      Promise.resolve({
        accessToken: 'access-2',
        refreshToken: 'refresh-2',
        expiresAt: new Date(Date.now() + 120 * MINUTE),
      }),
    );
    const { store, access } = setup(['findSealedCredential', 'find', 'withRowLock'], { refresh });
    stored(store, MINUTE);
    const token = await access.run(PROJECT, NAME, 'listBranches', (_p, ctx) =>
      Promise.resolve(ctx.credential.kind === 'basic' ? '' : ctx.credential.token),
    );
    expect(token).toBe('access-2');
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a provider 401 marks the authorization not authenticated and is 0451', async () => {
    const { store, access } = setup(['findSealedCredential', 'find', 'recordCheck']);
    stored(store, 60 * MINUTE);
    const error = await appErrorOf(
      access.run(PROJECT, NAME, 'listBranches', () =>
        Promise.reject(new ProviderRejectedError('unauthorized')),
      ),
    );
    expect(error.key).toBe('AUTHORIZATION_INVALID');
    expect(error.message).toMatch(/re-authorize/);
    expect([...store.rows.values()][0].status).toBe(AuthorizationStatus.NOT_AUTHENTICATED);
  });

  it('a non-normal authorization is 0451 without calling the provider', async () => {
    const { store, access } = setup(['findSealedCredential', 'find']);
    store.put({ ...stored(store, null), status: AuthorizationStatus.EXPIRED });
    const error = await appErrorOf(
      access.run(PROJECT, NAME, 'listBranches', () => Promise.reject(new Error('no'))),
    );
    expect(error.key).toBe('AUTHORIZATION_INVALID');
  });

  it('other refusals are mapped, the authorization left as it is', async () => {
    const { store, access } = setup(['findSealedCredential', 'find']);
    stored(store, null);
    const error = await appErrorOf(
      access.run(PROJECT, NAME, 'listBranches', () =>
        Promise.reject(new ProviderAnswerError(404, '404 Project Not Found', undefined, false)),
      ),
    );
    expect(error.key).toBe('REPO_NOT_FOUND');
    expect([...store.rows.values()][0].status).toBe(AuthorizationStatus.NORMAL);
  });
});

describe('RepoAccess: writes are recorded before they happen', () => {
  const TARGET = { repository: 'jdoe/demo', ref: 'main', path: 'a.txt' };
  const write = { operation: 'createFile' as const, target: TARGET };

  it('records the write as pending before the provider is called, then its success', async () => {
    const { store, access, audit } = setup(['findSealedCredential']);
    stored(store, null);
    let pendingWhenCalled: string | undefined;
    await asRequest(() =>
      access.write(PROJECT, NAME, write, () => {
        pendingWhenCalled = audit.rows[0]?.outcome;
        return Promise.resolve();
      }),
    );
    expect(pendingWhenCalled).toBe('pending');
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      projectId: PROJECT,
      authorizationName: NAME,
      operation: 'createFile',
      outcome: 'succeeded',
      errorCode: null,
      repository: 'jdoe/demo',
      ref: 'main',
      path: 'a.txt',
      hookId: null,
      caller: TEST_CALLER,
    });
  });

  it('a failed write is recorded with the code the caller gets', async () => {
    const { store, access, audit } = setup(['findSealedCredential']);
    stored(store, null);
    const error = await appErrorOf(
      asRequest(() =>
        access.write(PROJECT, NAME, write, () =>
          Promise.reject(new ProviderAnswerError(409, 'does not match', undefined, false)),
        ),
      ),
    );
    expect(error.key).toBe('STALE_SHA');
    expect(audit.rows[0]).toMatchObject({ outcome: 'failed', errorCode: 'SVCSTG.REPO.0409' });
  });

  it('a trail that cannot record stops the write: the provider is never called', async () => {
    const { store, access, audit } = setup(['findSealedCredential']);
    stored(store, null);
    audit.failWrites(1);
    const provider = jest.fn(() => Promise.resolve());
    const error = await appErrorOf(asRequest(() => access.write(PROJECT, NAME, write, provider)));
    expect(error.key).toBe('UNAVAILABLE');
    expect(provider).not.toHaveBeenCalled();
    expect(audit.rows).toHaveLength(0);
  });

  it("an outcome that cannot be recorded leaves the entry pending and the write's answer standing", async () => {
    const { store, access, audit } = setup(['findSealedCredential']);
    stored(store, null);
    const result = await asRequest(() =>
      access.write(PROJECT, NAME, write, () => {
        audit.failWrites(1);
        return Promise.resolve('written');
      }),
    );
    expect(result).toBe('written');
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].outcome).toBe('pending');
  });

  it('nothing is recorded for a name that does not resolve (no write was attempted)', async () => {
    const { access, audit } = setup(['findSealedCredential']);
    const error = await appErrorOf(
      asRequest(() => access.write(PROJECT, NAME, write, () => Promise.resolve())),
    );
    expect(error.key).toBe('AUTHORIZATION_NOT_FOUND');
    expect(audit.rows).toHaveLength(0);
  });

  it('reads are not recorded', async () => {
    const { store, access, audit } = setup(['findSealedCredential']);
    stored(store, null);
    await asRequest(() => access.run(PROJECT, NAME, 'listHooks', () => Promise.resolve([])));
    expect(audit.rows).toHaveLength(0);
  });
});
