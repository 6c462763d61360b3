import { Logger } from '@nestjs/common';
import {
  connectionTerminated,
  InMemoryAuthorizations,
  strict,
} from '../../test/support/in-memory-store';
import { appErrorOf } from '../../test/support/thrown';
import {
  apps,
  refresherOf,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { BackgroundWork } from '../common/lifecycle/background-work';
import { Metrics } from '../common/metrics/metrics';
import { loadAppConfig } from '../config/app.config';
import { loadGitAuthConfig } from '../config/git-auth.config';
import { loadMetricsConfig } from '../config/metrics.config';
import { AuthorizationStatus, type StoredAuthorization } from './domain/authorization';
import type { AuthorizationRepository } from './persistence/authorization.repository';
import { ProviderRejectedError, ProviderUnavailableError } from './providers/provider-errors';
import type { RepoProviderStrategy, TokenSet } from './providers/repo-provider.strategy';
import { TokenRefresher } from './token-refresher';

const PROJECT = 'p1';
const NAME = 'my-auth';
const MINUTE = 60_000;
const PROVIDER_TIMEOUT_MS = 100;
const REFRESH_TIMEOUT_MS = 1_000;
const config = loadGitAuthConfig({
  PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
  REFRESH_TIMEOUT_MS: String(REFRESH_TIMEOUT_MS),
});
const ROTATED: TokenSet = {
  accessToken: 'access-2',
  refreshToken: 'refresh-2',
  expiresAt: new Date(Date.now() + 120 * MINUTE),
};

/** A provider whose answer to the refresh request is held until the test gives it. */
function heldProvider() {
  let answer!: (tokens: TokenSet) => void;
  let fail!: (error: Error) => void;
  const refresh = jest.fn(
    () =>
      new Promise<TokenSet>((resolve, reject) => {
        answer = resolve;
        fail = reject;
      }),
  );
  return {
    refresh,
    answer: (tokens = ROTATED) => answer(tokens),
    fail: (error: Error) => fail(error),
  };
}

function setup(refresh: RepoProviderStrategy['refresh'], refresherConfig = config) {
  const store = new InMemoryAuthorizations();
  const background = new BackgroundWork();
  const ports = strict<AuthorizationRepository>(store, ['withRowLock', 'storeRefreshedTokens']);
  const refresher = refresherOf(
    ports,
    registryWith(strategyOf('gitlab', { refresh })),
    refresherConfig,
    background,
  );
  const stale = store.put({
    projectId: PROJECT,
    name: NAME,
    ...secrets.seal({ projectId: PROJECT, name: NAME }, 'access-1', 'refresh-1'),
    tokenExpiresAt: new Date(Date.now() + MINUTE),
  });
  return { store, background, refresher, stale };
}

const opened = (row: StoredAuthorization | undefined) => (row ? secrets.open(row) : undefined);
const drained = (background: BackgroundWork) => background.drain(Date.now() + 5_000);

describe('TokenRefresher: a refresh, once sent, is never lost', () => {
  let logged: { log: jest.SpyInstance; warn: jest.SpyInstance; error: jest.SpyInstance };

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    logged = {
      log: jest.spyOn(Logger.prototype, 'log'),
      warn: jest.spyOn(Logger.prototype, 'warn'),
      error: jest.spyOn(Logger.prototype, 'error'),
    };
  });

  afterEach(() => jest.restoreAllMocks());

  describe("the caller's wait and the refresh's own bound", () => {
    it('answers 504 PROVIDER_TIMEOUT_MS after the request was sent, then stores what the provider returns', async () => {
      const provider = heldProvider();
      const { store, background, refresher, stale } = setup(provider.refresh);
      const started = Date.now();
      const error = await appErrorOf(refresher.refresh(stale));
      expect(Date.now() - started).toBeGreaterThanOrEqual(PROVIDER_TIMEOUT_MS - 5);
      // The body of any provider timeout.
      expect(error.key).toBe('PROVIDER_TIMEOUT');
      expect(error.message).toBe(`GitLab did not answer within ${PROVIDER_TIMEOUT_MS} ms`);
      expect(background.size).toBe(1);

      provider.answer();
      await expect(drained(background)).resolves.toEqual({ finished: 1, abandoned: [] });
      expect(opened(store.get(PROJECT, NAME))).toEqual({
        secret: 'access-2',
        refreshToken: 'refresh-2',
      });
      // A later call finds the stored token: no second request.
      const again = await refresher.refresh(stale);
      expect(opened(again)?.secret).toBe('access-2');
      expect(provider.refresh).toHaveBeenCalledTimes(1);
    });

    it('sends the token request with REFRESH_TIMEOUT_MS as its bound', async () => {
      const refresh = jest.fn(() => Promise.resolve(ROTATED));
      const { refresher, stale } = setup(refresh);
      await refresher.refresh(stale);
      expect(refresh).toHaveBeenCalledWith(expect.anything(), 'refresh-1', {
        timeoutMs: REFRESH_TIMEOUT_MS,
      });
    });

    it('a caller joining a refresh in progress gets PROVIDER_TIMEOUT_MS of its own, and its outcome', async () => {
      const provider = heldProvider();
      const { refresher, stale } = setup(provider.refresh);
      expect((await appErrorOf(refresher.refresh(stale))).key).toBe('PROVIDER_TIMEOUT');
      const joined = refresher.refresh(stale);
      setTimeout(() => provider.answer(), PROVIDER_TIMEOUT_MS / 2);
      expect(opened(await joined)?.secret).toBe('access-2');
      expect(provider.refresh).toHaveBeenCalledTimes(1);
    });

    it('a dead grant answered after the caller stopped waiting marks the authorization expired', async () => {
      const provider = heldProvider();
      const { store, background, refresher, stale } = setup(provider.refresh);
      await appErrorOf(refresher.refresh(stale));
      provider.fail(new ProviderRejectedError('invalid_grant'));
      await drained(background);
      expect(store.get(PROJECT, NAME)?.status).toBe(AuthorizationStatus.EXPIRED);
    });

    it('an outage answered after the caller stopped waiting changes nothing, and is logged', async () => {
      const provider = heldProvider();
      const { store, background, refresher, stale } = setup(provider.refresh);
      await appErrorOf(refresher.refresh(stale));
      provider.fail(new ProviderUnavailableError('HTTP 503'));
      await drained(background);
      expect(store.get(PROJECT, NAME)).toEqual(stale);
      expect(logged.warn).toHaveBeenCalledWith(
        expect.objectContaining({ msg: 'refresh failed after its caller stopped waiting' }),
      );
    });
  });

  describe('the database fails between the answer and the commit', () => {
    it('stores the tokens by a conditional update when the locked transaction fails', async () => {
      const { store, refresher, stale } = setup(() => Promise.resolve(ROTATED));
      store.failTokenWrites('lost');
      const row = await refresher.refresh(stale);
      expect(opened(row)?.secret).toBe('access-2');
      expect(opened(store.get(PROJECT, NAME))).toEqual({
        secret: 'access-2',
        refreshToken: 'refresh-2',
      });
      expect(store.pendingWriteFaults).toBe(0);
    });

    it('recognises a commit that succeeded though its acknowledgement was lost', async () => {
      const { store, refresher, stale } = setup(() => Promise.resolve(ROTATED));
      store.failTokenWrites('unacknowledged');
      const row = await refresher.refresh(stale);
      expect(opened(row)?.secret).toBe('access-2');
      expect(logged.log).toHaveBeenCalledWith(
        expect.objectContaining({ msg: 'refreshed tokens stored after a retry', attempts: 1 }),
      );
    });

    it('a database still down at the first retry: the caller gets the outage, the retries go on until it is back', async () => {
      // A bound far beyond the retries' pauses: the last retry must come however late a busy machine's timers fire.
      const { store, background, refresher, stale } = setup(
        () => Promise.resolve(ROTATED),
        loadGitAuthConfig({ PROVIDER_TIMEOUT_MS: '100', REFRESH_TIMEOUT_MS: '10000' }),
      );
      store.failTokenWrites('lost', 'lost', 'lost', 'lost');
      await expect(refresher.refresh(stale)).rejects.toThrow(/Connection terminated/);
      await drained(background);
      expect(store.pendingWriteFaults).toBe(0);
      expect(opened(store.get(PROJECT, NAME))?.secret).toBe('access-2');
      expect(logged.error).not.toHaveBeenCalled();
    });

    it('gives up REFRESH_TIMEOUT_MS after the request and logs the loss loudly, without secrets', async () => {
      const { store, background, refresher, stale } = setup(() => Promise.resolve(ROTATED));
      store.failTokenWrites(...Array<'lost'>(100).fill('lost'));
      const started = Date.now();
      await expect(refresher.refresh(stale)).rejects.toThrow(/Connection terminated/);
      await drained(background);
      // Not a speed test: it gave up near its bound, not after some later timer (slack for a busy machine).
      expect(Date.now() - started).toBeLessThan(REFRESH_TIMEOUT_MS + 3_000);
      expect(store.get(PROJECT, NAME)).toEqual(stale);
      expect(logged.error).toHaveBeenCalledTimes(1);
      const [line] = logged.error.mock.calls[0] as [Record<string, unknown>];
      expect(line).toMatchObject({
        msg: expect.stringMatching(/^refreshed tokens lost/) as string,
        repoType: 'gitlab',
        projectId: PROJECT,
        name: NAME,
      });
      expect(line.attempts).toBeGreaterThan(2);
      expect(JSON.stringify(line)).not.toMatch(/access-2|refresh-2|refresh-1/);
    });

    it('overwrites nothing stored since: a row no longer holding the spent refresh token is left alone', async () => {
      const { store, refresher, stale } = setup(() => Promise.resolve(ROTATED));
      store.failTokenWrites('lost');
      const storeRefreshed = store.storeRefreshedTokens.bind(store);
      jest.spyOn(store, 'storeRefreshedTokens').mockImplementationOnce((...args) => {
        // Between the failed commit and the retry, the row got other tokens.
        store.put({ ...stale, ...secrets.seal(stale, 'access-9', 'refresh-9') });
        return storeRefreshed(...args);
      });
      await refresher.refresh(stale);
      expect(opened(store.get(PROJECT, NAME))).toEqual({
        secret: 'access-9',
        refreshToken: 'refresh-9',
      });
    });

    it('an authorization deleted meanwhile gets nothing stored', async () => {
      const { store, background, refresher, stale } = setup(() => Promise.resolve(ROTATED));
      store.failTokenWrites('lost');
      jest.spyOn(store, 'storeRefreshedTokens').mockImplementationOnce(() => {
        store.rows.clear();
        return Promise.reject(connectionTerminated());
      });
      await expect(refresher.refresh(stale)).rejects.toThrow(/Connection terminated/);
      await drained(background);
      expect(store.rows.size).toBe(0);
      expect(logged.warn).toHaveBeenCalledWith(
        expect.objectContaining({
          msg: 'refreshed tokens not stored: the authorization was deleted',
        }),
      );
    });
  });

  it('warns at start-up when a refresh could outlive the shutdown bound', () => {
    const store = new InMemoryAuthorizations();
    const refresher = new TokenRefresher(
      store,
      registryWith(),
      apps,
      secrets,
      new BackgroundWork(),
      loadGitAuthConfig({ REFRESH_TIMEOUT_MS: '30000' }),
      loadAppConfig({ SHUTDOWN_TIMEOUT_MS: '25000' }),
      new Metrics(loadMetricsConfig({})),
    );
    refresher.onModuleInit();
    expect(logged.warn).toHaveBeenCalledWith(
      expect.objectContaining({ refreshTimeoutMs: 30_000, shutdownTimeoutMs: 25_000 }),
    );
  });
});
