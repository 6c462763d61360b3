import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { gitAuthConfig, type GitAuthConfig } from '../config/git-auth.config';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import {
  type Authorization,
  AuthorizationStatus,
  publicView,
  type SealedCredential,
  type StoredAuthorization,
} from './domain/authorization';
import { notFound } from './domain/errors';
import { GitHostResolver } from './git-host-resolver';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { toProviderAppError } from './providers/provider-call';
import { ProviderRejectedError } from './providers/provider-errors';
import { ProviderRegistry } from './providers/provider-registry';
import type {
  ApiTarget,
  ProviderCredential,
  RepoProviderStrategy,
} from './providers/repo-provider.strategy';
import { TokenRefresher } from './token-refresher';

export interface GitCredentialResult {
  readonly repoType: string;
  readonly repoHost: string;
  readonly username: string;
  readonly token: string;
  readonly expiresAt: Date | null;
}

/** A stored authorization made usable against its provider's REST API (refreshed, its host re-checked). */
export interface ApiAccess {
  readonly strategy: RepoProviderStrategy;
  readonly target: ApiTarget;
  readonly credential: ProviderCredential;
  /** The account's login at the provider. */
  readonly login: string;
  /** Records that the provider refused the credential (HTTP 401): expired, or not authenticated. */
  refused(): Promise<void>;
}

/**
 * Keeps stored authorizations usable: hands out clone credentials (refreshing first when the token is about
 * to expire, through TokenRefresher), and checks a credential against the provider. A dead grant marks the
 * authorization expired or not authenticated; a transient failure changes nothing.
 */
@Injectable()
export class CredentialService {
  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly registry: ProviderRegistry,
    private readonly refresher: TokenRefresher,
    private readonly hosts: GitHostResolver,
    private readonly secrets: AuthorizationSecrets,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
  ) {}

  async credential(projectId: string, name: string): Promise<GitCredentialResult> {
    const authorization = await this.usable(projectId, name);
    const secret = this.secrets.openSecret(authorization);
    const strategy = this.registry.get(authorization.repoType);
    const git = strategy.gitCredential(
      authorization.tokenType,
      secret,
      authorization.login ?? authorization.repoUser,
    );
    return {
      repoType: authorization.repoType,
      repoHost: authorization.repoHost,
      username: git.username,
      token: git.password,
      expiresAt: authorization.tokenExpiresAt,
    };
  }

  /**
   * What calls to the provider's REST API need for an authorization (X-Repo-Auth): the same resolution as the
   * credential endpoint — unknown 0450, not normal 0451, host no longer allowed 0454, refreshed before use.
   */
  async apiAccess(projectId: string, name: string): Promise<ApiAccess> {
    const authorization = await this.usable(projectId, name);
    const strategy = this.registry.get(authorization.repoType);
    const secret = this.secrets.openSecret(authorization);
    return {
      strategy,
      target: this.hosts.targetOf(authorization),
      credential: strategy.apiCredential(
        authorization.tokenType,
        secret,
        authorization.login ?? authorization.repoUser,
      ),
      login: authorization.repoUser,
      refused: () => this.recordRefusal(authorization),
    };
  }

  /** Checks the stored credential at the provider now; the returned authorization carries the verdict. */
  async verify(projectId: string, name: string): Promise<Authorization> {
    let authorization = await this.find(projectId, name);
    if (this.isExpired(authorization, new Date()))
      authorization = await this.refresh(authorization);
    if (this.isExpired(authorization, new Date())) return publicView(authorization, authorization);

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

  /**
   * The authorization, normal and with a token valid long enough; refreshed first when it expires soon. Its
   * stored host is re-checked against today's rules first: no token goes to a host no longer allowed.
   */
  /** One narrow read on every call; the whole row only when the token must be refreshed first. */
  private async usable(projectId: string, name: string): Promise<SealedCredential> {
    let authorization: SealedCredential | null = await this.authorizations.findSealedCredential(
      projectId,
      name,
    );
    if (!authorization) throw notFound(name);
    if (authorization.status !== AuthorizationStatus.NORMAL) throw reauthorize(authorization);
    // The one check of a stored host (allow-list, https, address rules): no token for a host no longer allowed.
    this.hosts.targetOf(authorization);
    if (this.expiresSoon(authorization))
      authorization = await this.refresh(await this.find(projectId, name));
    if (authorization.status !== AuthorizationStatus.NORMAL) throw reauthorize(authorization);
    return authorization;
  }

  /** A refusal of a token that a concurrent refresh replaced says nothing about the new one: not recorded. */
  private async recordRefusal(authorization: SealedCredential): Promise<void> {
    const status = this.isExpired(authorization, new Date())
      ? AuthorizationStatus.EXPIRED
      : AuthorizationStatus.NOT_AUTHENTICATED;
    await this.authorizations.recordCheck(
      authorization.projectId,
      authorization.name,
      authorization.secretSealed,
      { status },
    );
  }

  private async find(projectId: string, name: string): Promise<StoredAuthorization> {
    const authorization = await this.authorizations.find(projectId, name);
    if (!authorization) throw notFound(name);
    return authorization;
  }

  private expiresSoon(a: Pick<SealedCredential, 'tokenExpiresAt'>): boolean {
    return this.isExpired(a, new Date(Date.now() + this.config.credentialMinTtlSeconds * 1000));
  }

  private isExpired(a: Pick<SealedCredential, 'tokenExpiresAt'>, at: Date): boolean {
    return a.tokenExpiresAt !== null && a.tokenExpiresAt <= at;
  }

  private refresh(stale: StoredAuthorization): Promise<StoredAuthorization> {
    return this.refresher.refresh(stale);
  }
}

function reauthorize(a: Pick<SealedCredential, 'name' | 'status'>): AppError {
  const why =
    a.status === AuthorizationStatus.EXPIRED
      ? 'has expired'
      : 'is no longer accepted by the provider';
  return new AppError(
    'AUTHORIZATION_INVALID',
    `The authorization "${a.name}" ${why}; re-authorize it`,
  );
}
