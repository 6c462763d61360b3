import { Logger } from '@nestjs/common';
import { appErrorOf } from '../../test/support/thrown';
import { InMemoryAuthorizations, strict } from '../../test/support/in-memory-store';
import {
  apps,
  gitAuthConfig,
  refresherOf,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { BackgroundWork } from '../common/lifecycle/background-work';
import { Metrics } from '../common/metrics/metrics';
import { loadGitAuthConfig } from '../config/git-auth.config';
import { loadMetricsConfig } from '../config/metrics.config';
import { CredentialService } from './credential.service';
import { AuthorizationStatus, type StoredAuthorization } from './domain/authorization';
import { GitHostResolver } from './git-host-resolver';
import {
  type AuthorizationRepository,
  RowLockTimeoutError,
} from './persistence/authorization.repository';
import {
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from './providers/provider-errors';
import type { RepoProviderStrategy, TokenSet } from './providers/repo-provider.strategy';

const PROJECT = 'p1';
const NAME = 'my-auth';
const MINUTE = 60_000;
const PROFILE = { username: 'octo', homeUrl: 'https://gitlab.com/octo', avatarUrl: 'https://a/1' };

function setup(
  strategy: RepoProviderStrategy,
  allowed: (keyof AuthorizationRepository)[],
  config = gitAuthConfig,
) {
  const store = new InMemoryAuthorizations();
  const authorizations = strict<AuthorizationRepository>(store, allowed);
  const registry = registryWith(strategy);
  const background = new BackgroundWork();
  const metrics = new Metrics(loadMetricsConfig({}));
  const service = new CredentialService(
    authorizations,
    registry,
    refresherOf(authorizations, registry, config, background, metrics),
    new GitHostResolver(apps, config),
    secrets,
    config,
  );
  return { store, service, background, metrics };
}

/** The refresh counter's series, as Prometheus would scrape them. */
async function refreshesCounted(metrics: Metrics): Promise<string[]> {
  const text = await metrics.render();
  return text.split('\n').filter((line) => line.startsWith('git_auth_token_refreshes_total{'));
}

/** A GitLab OAuth authorization whose access token expires in `expiresInMs`. */
function stored(
  store: InMemoryAuthorizations,
  expiresInMs: number | null,
  extra: Partial<StoredAuthorization> = {},
): StoredAuthorization {
  return store.put({
    projectId: PROJECT,
    name: NAME,
    ...secrets.seal({ projectId: PROJECT, name: NAME }, 'access-1', 'refresh-1'),
    tokenExpiresAt: expiresInMs === null ? null : new Date(Date.now() + expiresInMs),
    ...extra,
  });
}

const opened = (row: StoredAuthorization | undefined) => (row ? secrets.open(row) : undefined);

describe('CredentialService', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  describe('credential: whether to refresh', () => {
    it('hands out a token valid long enough as it is, without locking the row', async () => {
      // Only the narrow read: the whole row (refresh token included) is read only to refresh.
      const { store, service } = setup(strategyOf('gitlab'), ['findSealedCredential']);
      stored(store, 60 * MINUTE);
      const result = await service.credential(PROJECT, NAME);
      expect(result).toMatchObject({ username: 'oauth2', token: 'access-1' });
      expect(Object.keys(result).sort()).toEqual([
        'expiresAt',
        'repoHost',
        'repoType',
        'token',
        'username',
      ]);
    });

    it('refreshes a token expiring within CREDENTIAL_MIN_TTL_SECONDS and stores the rotated pair', async () => {
      const refresh = jest.fn((_app, refreshToken: string): Promise<TokenSet> => {
        expect(refreshToken).toBe('refresh-1');
        return Promise.resolve({
          accessToken: 'access-2',
          refreshToken: 'refresh-2',
          expiresAt: new Date(Date.now() + 120 * MINUTE),
        });
      });
      const { store, service, metrics } = setup(strategyOf('gitlab', { refresh }), [
        'findSealedCredential',
        'find',
        'withRowLock',
      ]);
      stored(store, 2 * MINUTE);
      expect((await service.credential(PROJECT, NAME)).token).toBe('access-2');
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(opened(store.get(PROJECT, NAME))).toEqual({
        secret: 'access-2',
        refreshToken: 'refresh-2',
      });
      expect(await refreshesCounted(metrics)).toEqual([
        'git_auth_token_refreshes_total{provider="gitlab",outcome="success"} 1',
      ]);
    });

    it('keeps the refresh token when the provider does not rotate it', async () => {
      const refresh = () => Promise.resolve({ accessToken: 'access-2' });
      const { store, service } = setup(strategyOf('gitlab', { refresh }), [
        'findSealedCredential',
        'find',
        'withRowLock',
      ]);
      stored(store, -MINUTE);
      await service.credential(PROJECT, NAME);
      expect(opened(store.get(PROJECT, NAME))?.refreshToken).toBe('refresh-1');
      expect(store.get(PROJECT, NAME)?.tokenExpiresAt).toBeNull();
    });

    it('makes one refresh for concurrent callers in this process', async () => {
      let release!: () => void;
      const refresh = jest.fn(
        () =>
          new Promise<TokenSet>((resolve) => {
            release = () =>
              resolve({
                accessToken: 'access-2',
                refreshToken: 'refresh-2',
                expiresAt: new Date(Date.now() + 120 * MINUTE),
              });
          }),
      );
      const { store, service } = setup(strategyOf('gitlab', { refresh }), [
        'findSealedCredential',
        'find',
        'withRowLock',
      ]);
      stored(store, MINUTE);
      const calls = Array.from({ length: 5 }, () => service.credential(PROJECT, NAME));
      await new Promise((resolve) => setImmediate(resolve));
      release();
      expect((await Promise.all(calls)).map((c) => c.token)).toEqual(Array(5).fill('access-2'));
      expect(refresh).toHaveBeenCalledTimes(1);
    });

    it('does not refresh again when the row, once locked, already holds a fresh token', async () => {
      const refresh = jest.fn(() => Promise.reject(new Error('must not refresh')));
      const { store, service } = setup(strategyOf('gitlab', { refresh }), [
        'findSealedCredential',
        'find',
        'withRowLock',
      ]);
      const stale = stored(store, MINUTE);
      // Another replica refreshed between our read and our lock.
      store.put({
        ...stale,
        ...secrets.seal(stale, 'access-2', 'refresh-2'),
        tokenExpiresAt: new Date(Date.now() + 120 * MINUTE),
      });
      const find = service.credential(PROJECT, NAME);
      expect((await find).token).toBe('access-2');
      expect(refresh).not.toHaveBeenCalled();
    });

    it.each([
      ['invalid_grant', new ProviderRejectedError('invalid_grant')],
      ['bad_refresh_token', new ProviderRejectedError('bad_refresh_token')],
    ])('a dead grant (%s) marks the authorization expired: 0451', async (_case, refusal) => {
      const { store, service, metrics } = setup(
        strategyOf('gitlab', { refresh: () => Promise.reject(refusal) }),
        ['findSealedCredential', 'find', 'withRowLock'],
      );
      stored(store, -MINUTE);
      expect((await appErrorOf(service.credential(PROJECT, NAME))).key).toBe(
        'AUTHORIZATION_INVALID',
      );
      expect(store.get(PROJECT, NAME)?.status).toBe(AuthorizationStatus.EXPIRED);
      expect(await refreshesCounted(metrics)).toEqual([
        'git_auth_token_refreshes_total{provider="gitlab",outcome="rejected"} 1',
      ]);
    });

    it.each([
      ['an outage', 'PROVIDER_UNAVAILABLE', new ProviderUnavailableError('HTTP 503'), 'error'],
      ['a timeout', 'PROVIDER_TIMEOUT', new ProviderTimeoutError(1500), 'timeout'],
    ] as const)('%s changes nothing and answers %s', async (_case, key, error, outcome) => {
      const { store, service, metrics } = setup(
        strategyOf('gitlab', { refresh: () => Promise.reject(error) }),
        ['findSealedCredential', 'find', 'withRowLock'],
      );
      const before = stored(store, -MINUTE);
      expect((await appErrorOf(service.credential(PROJECT, NAME))).key).toBe(key);
      expect(store.get(PROJECT, NAME)).toEqual(before);
      expect(await refreshesCounted(metrics)).toEqual([
        `git_auth_token_refreshes_total{provider="gitlab",outcome="${outcome}"} 1`,
      ]);
    });

    it('an expired token without a refresh token (or with a dead one) is expired, without asking the provider', async () => {
      for (const extra of [
        { refreshTokenSealed: null },
        { refreshTokenExpiresAt: new Date(Date.now() - MINUTE) },
      ]) {
        const { store, service } = setup(strategyOf('gitlab'), [
          'findSealedCredential',
          'find',
          'withRowLock',
        ]);
        stored(store, -MINUTE, extra);
        expect((await appErrorOf(service.credential(PROJECT, NAME))).key).toBe(
          'AUTHORIZATION_INVALID',
        );
        expect(store.get(PROJECT, NAME)?.status).toBe(AuthorizationStatus.EXPIRED);
      }
    });

    it('a token that still works but cannot be refreshed is handed out as it is', async () => {
      const { store, service } = setup(strategyOf('gitlab'), [
        'findSealedCredential',
        'find',
        'withRowLock',
      ]);
      stored(store, MINUTE, { refreshTokenSealed: null });
      expect((await service.credential(PROJECT, NAME)).token).toBe('access-1');
      expect(store.get(PROJECT, NAME)?.status).toBe(AuthorizationStatus.NORMAL);
    });

    it('an authorization already marked expired or not authenticated answers 0451 at once', async () => {
      for (const status of [AuthorizationStatus.EXPIRED, AuthorizationStatus.NOT_AUTHENTICATED]) {
        const { store, service } = setup(strategyOf('gitlab'), ['findSealedCredential', 'find']);
        stored(store, -MINUTE, { status });
        const error = await appErrorOf(service.credential(PROJECT, NAME));
        expect(error.key).toBe('AUTHORIZATION_INVALID');
        expect(error.message).toMatch(/re-authorize/);
      }
    });

    it('a row lock held too long by another replica answers 504 and changes nothing', async () => {
      const { store, service } = setup(strategyOf('gitlab'), [
        'findSealedCredential',
        'find',
        'withRowLock',
      ]);
      stored(store, -MINUTE);
      jest.spyOn(store, 'withRowLock').mockRejectedValueOnce(new RowLockTimeoutError());
      const error = await appErrorOf(service.credential(PROJECT, NAME));
      expect(error.key).toBe('PROVIDER_TIMEOUT');
      expect(error.message).toMatch(/Another refresh/);
    });

    it('an OAuth application no longer configured cannot refresh: 0453', async () => {
      const { store, service } = setup(strategyOf('gitlab'), ['findSealedCredential', 'find']);
      stored(store, -MINUTE, { tag: 'gone' });
      expect((await appErrorOf(service.credential(PROJECT, NAME))).key).toBe(
        'PROVIDER_NOT_CONFIGURED',
      );
    });

    it('an unknown name is 0450', async () => {
      const { service } = setup(strategyOf('gitlab'), ['findSealedCredential', 'find']);
      expect((await appErrorOf(service.credential(PROJECT, 'nope'))).key).toBe(
        'AUTHORIZATION_NOT_FOUND',
      );
    });
  });

  describe('verify: the verdict', () => {
    const verifying = (fetchProfile: RepoProviderStrategy['fetchProfile']) =>
      setup(strategyOf('gitlab', { fetchProfile }), [
        'findSealedCredential',
        'find',
        'recordCheck',
        'withRowLock',
      ]);

    it('accepted: status 0 and the fresh profile, checked with the credential the provider takes', async () => {
      const fetchProfile = jest.fn(() => Promise.resolve(PROFILE));
      const { store, service } = verifying(fetchProfile);
      stored(store, 60 * MINUTE, {
        status: AuthorizationStatus.NOT_AUTHENTICATED,
        repoUser: 'old',
      });
      const verdict = await service.verify(PROJECT, NAME);
      expect(verdict).toMatchObject({ status: 0, repoUser: 'octo', repoHome: PROFILE.homeUrl });
      expect(Object.keys(verdict)).not.toContain('secretSealed');
      expect(fetchProfile).toHaveBeenCalledWith(
        { webUrl: 'https://gitlab.com', apiUrl: 'https://gitlab.com/api/v4', guarded: false },
        { kind: 'bearer', token: 'access-1' },
      );
    });

    it('refused while the token is unexpired: not authenticated (2)', async () => {
      const { store, service } = verifying(() =>
        Promise.reject(new ProviderRejectedError('unauthorized (HTTP 401)')),
      );
      stored(store, 60 * MINUTE);
      expect((await service.verify(PROJECT, NAME)).status).toBe(
        AuthorizationStatus.NOT_AUTHENTICATED,
      );
    });

    it('an expired token that cannot be refreshed: expired (1), the provider is not asked', async () => {
      const { store, service } = verifying(() => Promise.reject(new Error('must not be asked')));
      stored(store, -MINUTE, { refreshTokenSealed: null });
      expect((await service.verify(PROJECT, NAME)).status).toBe(AuthorizationStatus.EXPIRED);
    });

    it('refreshes through the same path as the credential: 504 while the provider is slow, stored all the same', async () => {
      let answer!: (tokens: TokenSet) => void;
      const refresh = jest.fn(
        () =>
          new Promise<TokenSet>((resolve) => {
            answer = resolve;
          }),
      );
      const fetchProfile = jest.fn(() => Promise.resolve(PROFILE));
      const { store, service, background } = setup(
        strategyOf('gitlab', { refresh, fetchProfile }),
        ['findSealedCredential', 'find', 'recordCheck', 'withRowLock'],
        loadGitAuthConfig({ PROVIDER_TIMEOUT_MS: '100' }),
      );
      stored(store, -MINUTE);
      expect((await appErrorOf(service.verify(PROJECT, NAME))).key).toBe('PROVIDER_TIMEOUT');
      answer({
        accessToken: 'access-2',
        refreshToken: 'refresh-2',
        expiresAt: new Date(Date.now() + 120 * MINUTE),
      });
      await background.drain(Date.now() + 5_000);
      expect((await service.verify(PROJECT, NAME)).status).toBe(AuthorizationStatus.NORMAL);
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(fetchProfile).toHaveBeenCalledWith(expect.anything(), {
        kind: 'bearer',
        token: 'access-2',
      });
    });

    it('an outage records nothing and answers 502', async () => {
      const { store, service } = verifying(() =>
        Promise.reject(new ProviderUnavailableError('HTTP 500')),
      );
      const before = stored(store, 60 * MINUTE);
      expect((await appErrorOf(service.verify(PROJECT, NAME))).key).toBe('PROVIDER_UNAVAILABLE');
      expect(store.get(PROJECT, NAME)).toEqual(before);
    });

    it('a verdict about a token that a refresh replaced meanwhile is not recorded', async () => {
      const { store, service } = verifying(() => {
        // While the provider looks at the old token, a concurrent refresh stores a new one.
        const row = store.get(PROJECT, NAME)!;
        store.put({ ...row, ...secrets.seal(row, 'access-2', 'refresh-2') });
        return Promise.reject(new ProviderRejectedError('unauthorized (HTTP 401)'));
      });
      stored(store, 60 * MINUTE);
      expect((await service.verify(PROJECT, NAME)).status).toBe(AuthorizationStatus.NORMAL);
      expect(store.get(PROJECT, NAME)?.status).toBe(AuthorizationStatus.NORMAL);
    });

    it('a Bitbucket password is checked with HTTP Basic and the user it was given with', async () => {
      const fetchProfile = jest.fn(() => Promise.resolve(PROFILE));
      const { store, service } = setup(strategyOf('bitbucket', { fetchProfile }), [
        'find',
        'recordCheck',
      ]);
      store.put({
        projectId: PROJECT,
        name: NAME,
        repoType: 'bitbucket',
        tokenType: 'password',
        login: 'jdoe',
        repoHost: 'https://bitbucket.org',
        apiUrl: 'https://api.bitbucket.org/2.0',
        ...secrets.seal({ projectId: PROJECT, name: NAME }, 'app-password'),
      });
      await service.verify(PROJECT, NAME);
      expect(fetchProfile).toHaveBeenCalledWith(expect.anything(), {
        kind: 'basic',
        username: 'jdoe',
        password: 'app-password',
      });
    });
  });
});
