import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { BackgroundWork } from '../common/lifecycle/background-work';
import { Metrics } from '../common/metrics/metrics';
import { appConfig, type AppConfig } from '../config/app.config';
import { gitAuthConfig, type GitAuthConfig } from '../config/git-auth.config';
import { describeDatabaseError } from '../database/database-outage';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import { AuthorizationStatus, type Bytes, type StoredAuthorization } from './domain/authorization';
import { notFound } from './domain/errors';
import { OAuthApps } from './oauth-apps';
import {
  AuthorizationRepository,
  type LockedUpdate,
  RowLockTimeoutError,
  type TokensUpdate,
} from './persistence/authorization.repository';
import { countedRefresh } from './providers/http/provider-telemetry';
import { toProviderAppError } from './providers/provider-call';
import { ProviderRejectedError, ProviderTimeoutError } from './providers/provider-errors';
import { ProviderRegistry } from './providers/provider-registry';
import type { TokenSet } from './providers/repo-provider.strategy';
import { RefreshFlight } from './refresh-flight';

/** Pauses between attempts to store refreshed tokens after the locked transaction failed. */
const STORE_RETRY_FIRST_MS = 100;
const STORE_RETRY_MAX_MS = 2_000;

/** Tokens the provider returned, and the sealed refresh token they were obtained with. */
interface Answer {
  readonly spent: Bytes;
  readonly update: TokensUpdate;
  /** Until when storing them may be retried: REFRESH_TIMEOUT_MS after the request was sent. */
  readonly deadline: number;
}

/**
 * Refreshes expiring tokens so that a refresh, once sent, is never lost. The provider call is not abandoned
 * when its caller stops waiting (PROVIDER_TIMEOUT_MS after it was sent, the caller gets 504 as for any slow
 * provider): it goes on within REFRESH_TIMEOUT_MS, tracked as background work so shutdown waits for it, and
 * what the provider returned is stored — in the transaction that holds the row lock, or, if that fails, by a
 * conditional update retried until the same bound. Concurrent callers in this process share one refresh;
 * replicas serialize on the row lock and each sees what the previous one stored.
 */
@Injectable()
export class TokenRefresher implements OnModuleInit {
  private readonly logger = new Logger(TokenRefresher.name);
  /** Refreshes in progress in this process, so concurrent callers share one (and one database connection). */
  private readonly flights = new Map<string, RefreshFlight>();

  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly registry: ProviderRegistry,
    private readonly apps: OAuthApps,
    private readonly secrets: AuthorizationSecrets,
    private readonly background: BackgroundWork,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    if (this.config.refreshTimeoutMs >= this.app.shutdownTimeoutMs) {
      this.logger.warn({
        msg: 'REFRESH_TIMEOUT_MS is not below SHUTDOWN_TIMEOUT_MS: a refresh in progress at shutdown may be cut off',
        refreshTimeoutMs: this.config.refreshTimeoutMs,
        shutdownTimeoutMs: this.app.shutdownTimeoutMs,
      });
    }
  }

  /**
   * The authorization with a token valid for at least CREDENTIAL_MIN_TTL_SECONDS, refreshed first; or marked
   * expired (status 1) when the provider says the grant is dead, or when there is nothing to refresh with.
   * Returns it unchanged when it is fresh by the time its row is locked (another caller or replica refreshed).
   *
   * Throws 504 `PROVIDER_TIMEOUT` when the provider has not answered PROVIDER_TIMEOUT_MS after the request was
   * sent (or after this caller joined a refresh in progress) — the refresh goes on — or when another replica's
   * refresh holds the row lock too long; 502 for a provider outage, 0453 when the OAuth application is no
   * longer configured, 0450 when the authorization is gone; the database's failure (503) when the answer could
   * not be stored at once — storing is retried meanwhile.
   */
  refresh(stale: StoredAuthorization): Promise<StoredAuthorization> {
    const key = `${stale.projectId}\u0000${stale.name}`;
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.launch(stale);
      this.flights.set(key, flight);
      const forget = () => this.flights.delete(key);
      void flight.done.then(forget, forget);
    }
    return flight.wait();
  }

  /** Starts a refresh as background work: shutdown waits for it whether or not anyone still does. */
  private launch(stale: StoredAuthorization): RefreshFlight {
    const startedAt = Date.now();
    const flight = new RefreshFlight(
      (f) => this.run(stale, f),
      this.config.providerTimeoutMs,
      () => {
        this.logger.log({
          msg: "refresh outlived its caller's wait; it goes on in the background",
          ...this.context(stale),
          boundMs: this.config.refreshTimeoutMs,
        });
        return toProviderAppError(
          this.registry.get(stale.repoType).descriptor,
          new ProviderTimeoutError(this.config.providerTimeoutMs),
        );
      },
    );
    void this.background.track(`refresh ${stale.repoType} ${stale.name}`, flight.done).then(
      (row) => {
        if (!flight.outlivedCaller) return;
        this.logger.log({
          msg: 'refresh finished after its caller stopped waiting',
          ...this.context(stale),
          status: row.status,
          durationMs: Date.now() - startedAt,
        });
      },
      (error: unknown) => {
        if (!flight.outlivedCaller) return;
        this.logger.warn({
          msg: 'refresh failed after its caller stopped waiting',
          ...this.context(stale),
          error: error instanceof Error ? error.message : String(error),
          durationMs: Date.now() - startedAt,
        });
      },
    );
    return flight;
  }

  private async run(
    stale: StoredAuthorization,
    flight: RefreshFlight,
  ): Promise<StoredAuthorization> {
    const strategy = this.registry.get(stale.repoType);
    const app = this.apps.find(stale.repoType, stale.tag);
    if (!app) {
      throw new AppError(
        'PROVIDER_NOT_CONFIGURED',
        `The OAuth application that issued "${stale.name}" is no longer configured; it cannot be refreshed`,
      );
    }
    let answer: Answer | undefined;
    try {
      const row = await this.authorizations.withRowLock(
        stale.projectId,
        stale.name,
        async (current) => {
          let deadline = 0;
          const update = await this.decide(current, async (refreshToken) => {
            flight.requestSent();
            deadline = Date.now() + this.config.refreshTimeoutMs;
            try {
              return await strategy.refresh(app, refreshToken, {
                timeoutMs: this.config.refreshTimeoutMs,
              });
            } finally {
              flight.providerAnswered();
            }
          });
          if (update.kind === 'tokens' && current.refreshTokenSealed)
            answer = { spent: current.refreshTokenSealed, update, deadline };
          return update;
        },
      );
      if (!row) throw notFound(stale.name);
      return row;
    } catch (error) {
      if (answer) return this.storeAfterFailure(stale, flight, answer, error);
      if (error instanceof ProviderTimeoutError) {
        this.logger.warn({
          msg: 'refresh got no answer within REFRESH_TIMEOUT_MS: if the provider used the refresh token meanwhile, the grant is lost (the next refresh marks it expired)',
          ...this.context(stale),
          boundMs: error.timeoutMs,
        });
      }
      if (error instanceof RowLockTimeoutError) {
        throw new AppError(
          'PROVIDER_TIMEOUT',
          'Another refresh of this authorization is still running; retry shortly',
        );
      }
      throw toProviderAppError(strategy.descriptor, error);
    }
  }

  /**
   * The decision under the row lock. A provider that rotates refresh tokens has spent the old one once it got
   * the request, so the request is made only here, by whoever holds the lock, and only if the row (as the
   * previous holder left it) still needs it.
   */
  private async decide(
    current: StoredAuthorization,
    refresh: (refreshToken: string) => Promise<TokenSet>,
  ): Promise<LockedUpdate> {
    if (current.status !== AuthorizationStatus.NORMAL || !this.expiresSoon(current))
      return { kind: 'none' };
    const { refreshToken } = this.secrets.open(current);
    const now = new Date();
    const refreshDead =
      current.refreshTokenExpiresAt !== null && current.refreshTokenExpiresAt <= now;
    if (refreshToken === undefined || refreshDead) {
      // Nothing to refresh with: an expired token stays expired; one that still works is handed out as is.
      return current.tokenExpiresAt !== null && current.tokenExpiresAt <= now
        ? { kind: 'status', status: AuthorizationStatus.EXPIRED }
        : { kind: 'none' };
    }
    try {
      const tokens = await countedRefresh(this.metrics, current.repoType, refresh(refreshToken));
      return {
        kind: 'tokens',
        secrets: this.secrets.seal(
          current,
          tokens.accessToken,
          tokens.refreshToken ?? refreshToken,
        ),
        lifetimes: {
          tokenExpiresAt: tokens.expiresAt ?? null,
          refreshTokenExpiresAt:
            tokens.refreshTokenExpiresAt ??
            (tokens.refreshToken ? null : current.refreshTokenExpiresAt),
          scope: tokens.scope ?? current.scope,
        },
      };
    } catch (error) {
      // invalid_grant / bad_refresh_token: the grant is dead. Anything else rolls back and changes nothing.
      if (error instanceof ProviderRejectedError)
        return { kind: 'status', status: AuthorizationStatus.EXPIRED };
      throw error;
    }
  }

  /**
   * The provider answered but the locked transaction did not commit (the database failed, or ended the
   * transaction): the returned tokens are the only copy, so storing them is retried as a conditional update
   * until the refresh's bound — at least once, at once, so that a blip costs the callers nothing.
   */
  private async storeAfterFailure(
    stale: StoredAuthorization,
    flight: RefreshFlight,
    answer: Answer,
    failure: unknown,
  ): Promise<StoredAuthorization> {
    const context = this.context(stale);
    this.logger.warn({
      msg: 'refreshed tokens were not stored with the row lock; retrying',
      ...context,
      cause: describeDatabaseError(failure),
    });
    let pauseMs = STORE_RETRY_FIRST_MS;
    for (let attempt = 1; ; attempt++) {
      let row: StoredAuthorization | null;
      try {
        row = await this.authorizations.storeRefreshedTokens(
          stale.projectId,
          stale.name,
          answer.spent,
          answer.update,
        );
      } catch (error) {
        // Not a blip: callers get the outage now (503), the retries go on without them.
        if (attempt === 1) flight.storeFailed(error);
        if (Date.now() + pauseMs >= answer.deadline) {
          this.logger.error({
            msg: 'refreshed tokens lost: the database did not take them within REFRESH_TIMEOUT_MS; the authorization may need to be re-authorized',
            ...context,
            attempts: attempt,
            cause: describeDatabaseError(error),
          });
          throw error;
        }
        await sleep(pauseMs);
        pauseMs = Math.min(pauseMs * 2, STORE_RETRY_MAX_MS);
        continue;
      }
      if (!row) {
        this.logger.warn({
          msg: 'refreshed tokens not stored: the authorization was deleted',
          ...context,
        });
        throw notFound(stale.name);
      }
      if (sameBytes(row.secretSealed, answer.update.secrets.secretSealed)) {
        this.logger.log({
          msg: 'refreshed tokens stored after a retry',
          ...context,
          attempts: attempt,
        });
      } else {
        this.logger.warn({
          msg: 'refreshed tokens not stored: the authorization changed meanwhile',
          ...context,
        });
      }
      return row;
    }
  }

  private expiresSoon(a: StoredAuthorization): boolean {
    const soon = Date.now() + this.config.credentialMinTtlSeconds * 1000;
    return a.tokenExpiresAt !== null && a.tokenExpiresAt.getTime() <= soon;
  }

  /** What the log says about a refresh (never a secret). */
  private context(a: StoredAuthorization) {
    return { repoType: a.repoType, projectId: a.projectId, name: a.name };
  }
}

function sameBytes(a: Bytes, b: Bytes): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
