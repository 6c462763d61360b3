import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import type { Authorization } from './domain/authorization';
import { nameTaken } from './domain/errors';
import { GitHostResolver } from './git-host-resolver';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { providerCall } from './providers/provider-call';
import { accepts, type DirectTokenType } from './providers/provider-descriptor';
import { ProviderRegistry } from './providers/provider-registry';
import type { ApiTarget, RepoProviderStrategy } from './providers/repo-provider.strategy';

interface PersonalTokenInput {
  readonly name: string;
  readonly token: string;
  readonly host?: string;
}

interface PasswordInput {
  readonly name: string;
  readonly user: string;
  readonly password: string;
}

/** A secret handed over by the caller, as the provider will be asked to check it. */
interface DirectSecret {
  readonly tokenType: DirectTokenType;
  readonly secret: string;
  /** The user name given with a password; null for tokens. */
  readonly login: string | null;
  /** What a refusal by the provider tells the caller. */
  readonly refused: string;
}

/** Operations d and e: authorizations from a personal token or a username and password, checked before stored. */
@Injectable()
export class DirectAuthService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly hosts: GitHostResolver,
    private readonly authorizations: AuthorizationRepository,
    private readonly secrets: AuthorizationSecrets,
  ) {}

  async createPersonal(
    projectId: string,
    repoType: string,
    input: PersonalTokenInput,
  ): Promise<Authorization> {
    const strategy = this.accepting(repoType, 'personal', 'Personal token');
    return this.create(
      projectId,
      input.name,
      strategy,
      this.hosts.resolve(strategy.descriptor, input.host),
      {
        tokenType: 'personal',
        secret: input.token,
        login: null,
        refused: 'The provider rejected the token',
      },
    );
  }

  async createPassword(
    projectId: string,
    repoType: string,
    input: PasswordInput,
  ): Promise<Authorization> {
    const strategy = this.accepting(repoType, 'password', 'Password');
    return this.create(
      projectId,
      input.name,
      strategy,
      this.hosts.resolve(strategy.descriptor, undefined),
      {
        tokenType: 'password',
        secret: input.password,
        login: input.user,
        refused: 'The provider rejected the user or password',
      },
    );
  }

  private accepting(
    repoType: string,
    tokenType: DirectTokenType,
    what: string,
  ): RepoProviderStrategy {
    const strategy = this.registry.get(repoType);
    if (!accepts(strategy.descriptor, tokenType)) {
      throw new AppError(
        'REPO_TYPE_NOT_SUPPORTED',
        `${what} authorizations are not implemented for ${strategy.descriptor.repoType}`,
      );
    }
    return strategy;
  }

  private async create(
    projectId: string,
    name: string,
    strategy: RepoProviderStrategy,
    target: ApiTarget,
    given: DirectSecret,
  ): Promise<Authorization> {
    if (await this.authorizations.exists(projectId, name)) throw nameTaken(name);
    const credential = strategy.apiCredential(
      given.tokenType,
      given.secret,
      given.login ?? undefined,
    );
    const profile = await providerCall(
      strategy.descriptor,
      () => strategy.fetchProfile(target, credential),
      { key: 'AUTHORIZATION_INVALID', message: given.refused },
    );
    const sealed = this.secrets.seal({ projectId, name }, given.secret);
    return this.authorizations.create({
      projectId,
      name,
      repoType: strategy.descriptor.repoType,
      tag: '',
      tokenType: given.tokenType,
      repoHost: target.webUrl,
      apiUrl: target.apiUrl,
      repoUser: profile.username,
      repoHome: profile.homeUrl,
      avatar: profile.avatarUrl,
      login: given.login,
      keyId: sealed.keyId,
      secretSealed: sealed.secretSealed,
      refreshTokenSealed: sealed.refreshTokenSealed,
      tokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      scope: null,
    });
  }
}
