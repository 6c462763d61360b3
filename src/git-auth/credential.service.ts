import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Metrics } from '../common/metrics/metrics';
import { gitAuthConfig, type GitAuthConfig } from '../config/git-auth.config';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import {
  type Authorization,
  AuthorizationStatus,
  publicView,
  type StoredAuthorization,
} from './domain/authorization';
import { notFound } from './domain/errors';
import { GitHostResolver } from './git-host-resolver';
import { OAuthApps } from './oauth-apps';
import {
  AuthorizationRepository,
  type LockedUpdate,
  RowLockTimeoutError,
} from './persistence/authorization.repository';
import { countedRefresh } from './providers/http/provider-telemetry';
import { toProviderAppError } from './providers/provider-call';
import { ProviderRejectedError } from './providers/provider-errors';
import { ProviderRegistry } from './providers/provider-registry';
import type { TokenSet } from './providers/repo-provider.strategy';

export interface GitCredentialResult {
  readonly authorization: Authorization;
  readonly username: string;
  readonly token: string;
}

/**
 * Keeps stored authorizations usable: hands out clone credentials (refreshing first when the token is about
 * to expire), and checks a credential against the provider. A dead grant marks the authorization expired or
 * not authenticated; a transient failure changes nothing.
 */
@Injectable()
export class CredentialService {
  /** Refreshes in flight in this process, so concurrent callers share one (and one database connection). */
  private readonly refreshing = new Map<string, Promise<StoredAuthorization>>();

  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly registry: ProviderRegistry,
    private readonly apps: OAuthApps,
    private readonly hosts: GitHostResolver,
    private readonly secrets: AuthorizationSecrets,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
    private readonly metrics: Metrics,
  ) {}

  async credential(projectId: string, name: string): Promise<GitCredentialResult> {
    let authorization = await this.find(projectId, name);
    if (authorization.status !== AuthorizationStatus.NORMAL) throw reauthorize(authorization);
    // The one check of a stored host (allow-list, https, address rules): no token for a host no longer allowed.
    this.hosts.targetOf(authorization);
    if (this.expiresSoon(authorization)) authorization = await this.refresh(authorization);
    if (authorization.status !== AuthorizationStatus.NORMAL) throw reauthorize(authorization);

    const { secret } = this.secrets.open(authorization);
    const strategy = this.registry.get(authorization.repoType);
    const git = strategy.gitCredential(
      authorization.tokenType,
      secret,
      authorization.login ?? authorization.repoUser,
    );
    return {
      authorization: publicView(authorization),
      username: git.username,
      token: git.password,
    };
  }

  /** Checks the stored credential at the provider now; the returned authorization carries the verdict. */
  async verify(projectId: string, name: string): Promise<Authorization> {
    let authorization = await this.find(projectId, name);
    if (this.isExpired(authorization, new Date()))
      authorization = await this.refresh(authorization);
    if (this.isExpired(authorization, new Date())) return publicView(authorization);

    const strategy = this.registry.get(authorization.repoType);
    const target = this.hosts.targetOf(authorization);
    const { secret } = this.secrets.open(authorization);
    const credential = strategy.apiCredential(
      authorization.tokenType,
      secret,
      authorization.login ?? authorization.repoUser,
    );
    let outcome: Parameters<AuthorizationRepository['recordCheck']>[3];
    try {
      const profile = await strategy.fetchProfile(target, credential);
      outcome = {
        status: AuthorizationStatus.NORMAL,
        profile: {
          repoUser: profile.username,
          repoHome: profile.homeUrl,
          avatar: profile.avatarUrl,
        },
      };
    } catch (error) {
      if (!(error instanceof ProviderRejectedError))
        throw toProviderAppError(strategy.descriptor, error);
      const expired = this.isExpired(authorization, new Date());
      outcome = {
        status: expired ? AuthorizationStatus.EXPIRED : AuthorizationStatus.NOT_AUTHENTICATED,
      };
    }
    const recorded = await this.authorizations.recordCheck(
      projectId,
      name,
      authorization.secretSealed,
      outcome,
    );
    if (!recorded) throw notFound(name);
    return recorded;
  }

  private async find(projectId: string, name: string): Promise<StoredAuthorization> {
    const authorization = await this.authorizations.find(projectId, name);
    if (!authorization) throw notFound(name);
    return authorization;
  }

  private expiresSoon(a: StoredAuthorization): boolean {
    return this.isExpired(a, new Date(Date.now() + this.config.credentialMinTtlSeconds * 1000));
  }

  private isExpired(a: StoredAuthorization, at: Date): boolean {
    return a.tokenExpiresAt !== null && a.tokenExpiresAt <= at;
  }

  private refresh(stale: StoredAuthorization): Promise<StoredAuthorization> {
    const key = `${stale.projectId}\u0000${stale.name}`;
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.refreshUnderLock(stale).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, pending);
    }
    return pending;
  }

  /**
   * Refreshes under the row lock, which also serializes replicas: whoever waited on the lock sees the row its
   * predecessor left and, finding the token fresh, uses it instead of refreshing again (refresh tokens are
   * single use at GitLab and Bitbucket). The rotated pair is stored in the same transaction.
   */
  private async refreshUnderLock(stale: StoredAuthorization): Promise<StoredAuthorization> {
    const strategy = this.registry.get(stale.repoType);
    const app = this.apps.find(stale.repoType, stale.tag);
    if (!app) {
      throw new AppError(
        'PROVIDER_NOT_CONFIGURED',
        `The OAuth application that issued "${stale.name}" is no longer configured; it cannot be refreshed`,
      );
    }
    let refreshed: StoredAuthorization | null;
    try {
      refreshed = await this.authorizations.withRowLock(
        stale.projectId,
        stale.name,
        async (current) =>
          this.decideRefresh(current, (refreshToken) => strategy.refresh(app, refreshToken)),
      );
    } catch (error) {
      if (error instanceof RowLockTimeoutError) {
        throw new AppError(
          'PROVIDER_TIMEOUT',
          'Another refresh of this authorization is still running; retry shortly',
        );
      }
      throw toProviderAppError(strategy.descriptor, error);
    }
    if (!refreshed) throw notFound(stale.name);
    return refreshed;
  }

  private async decideRefresh(
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
      return this.isExpired(current, now)
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
}

function reauthorize(a: StoredAuthorization): AppError {
  const why =
    a.status === AuthorizationStatus.EXPIRED
      ? 'has expired'
      : 'is no longer accepted by the provider';
  return new AppError(
    'AUTHORIZATION_INVALID',
    `The authorization "${a.name}" ${why}; re-authorize it`,
  );
}
