import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import type { Authorization } from './domain/authorization';
import { nameTaken } from './domain/errors';
import type { TokenType } from './domain/repo-type';
import { GitHostResolver } from './git-host-resolver';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { providerCall } from './providers/provider-call';
import { ProviderRegistry } from './providers/provider-registry';
import type {
  ApiTarget,
  ProviderCredential,
  RepoProviderStrategy,
} from './providers/repo-provider.strategy';

export interface PersonalTokenInput {
  readonly name: string;
  readonly token: string;
  readonly host?: string;
}

export interface PasswordInput {
  readonly name: string;
  readonly user: string;
  readonly password: string;
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

  createPersonal(
    projectId: string,
    repoType: string,
    input: PersonalTokenInput,
  ): Promise<Authorization> {
    const strategy = this.supporting(repoType, 'personal');
    const target = this.hosts.resolve(strategy, input.host);
    return this.create(projectId, input.name, strategy, target, {
      credential: { kind: 'bearer', token: input.token },
      secret: input.token,
      tokenType: 'personal',
      login: null,
    });
  }

  createPassword(
    projectId: string,
    repoType: string,
    input: PasswordInput,
  ): Promise<Authorization> {
    const strategy = this.supporting(repoType, 'password');
    return this.create(projectId, input.name, strategy, this.hosts.resolve(strategy, undefined), {
      credential: { kind: 'basic', username: input.user, password: input.password },
      secret: input.password,
      tokenType: 'password',
      login: input.user,
    });
  }

  private supporting(repoType: string, tokenType: 'personal' | 'password'): RepoProviderStrategy {
    const strategy = this.registry.get(repoType);
    if (strategy.directTokenType !== tokenType) {
      throw new AppError(
        'REPO_TYPE_NOT_SUPPORTED',
        `${tokenType === 'personal' ? 'Personal token' : 'Password'} authorizations are not implemented for ${strategy.repoType}`,
      );
    }
    return strategy;
  }

  private async create(
    projectId: string,
    name: string,
    strategy: RepoProviderStrategy,
    target: ApiTarget,
    how: {
      credential: ProviderCredential;
      secret: string;
      tokenType: TokenType;
      login: string | null;
    },
  ): Promise<Authorization> {
    if (await this.authorizations.exists(projectId, name)) throw nameTaken(name);
    const profile = await providerCall(
      strategy.repoType,
      () => strategy.fetchProfile(target, how.credential),
      {
        key: 'AUTHORIZATION_INVALID',
        message:
          how.tokenType === 'password'
            ? 'The provider rejected the user or password'
            : 'The provider rejected the token',
      },
    );
    return this.authorizations.create({
      projectId,
      name,
      repoType: strategy.repoType,
      tag: '',
      tokenType: how.tokenType,
      repoHost: target.webUrl,
      apiUrl: target.apiUrl,
      repoUser: profile.username,
      repoHome: profile.homeUrl,
      avatar: profile.avatarUrl,
      login: how.login,
      ...this.secrets.seal({ projectId, name }, how.secret),
      tokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      scope: null,
    });
  }
}
