import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { CredentialService } from '../git-auth/credential.service';
import { AUTHORIZATION_NAME_PATTERN } from '../git-auth/domain/names';
import { ProviderRejectedError } from '../git-auth/providers/provider-errors';
import { toRepoAppError } from '../git-auth/providers/repo-api/repo-errors';
import type { RepositoryOperation } from '../git-auth/providers/http/provider-telemetry';
import type { RepoContext } from '../git-auth/providers/repo-api/repo-model';
import type { RepoProviderStrategy } from '../git-auth/providers/repo-provider.strategy';
import { repositoriesConfig, type RepositoriesConfig } from './repositories.config';

export const REPO_AUTH_HEADER = 'x-repo-auth';

/** A repository operation: what it does with the provider of the authorization. */
export type RepoOperation<T> = (provider: RepoProviderStrategy, ctx: RepoContext) => Promise<T>;

/**
 * The one resolution of `X-Repo-Auth` for every repository operation: the name's rules (missing or malformed
 * 0400), the authorization (unknown 0450, not normal 0451, host no longer allowed 0454), refreshed before use as
 * the credential endpoint does; then the operation, with the provider's answers mapped — a refused credential
 * marks the authorization and is 0451.
 */
@Injectable()
export class RepoAccess {
  constructor(
    private readonly credentials: CredentialService,
    @Inject(repositoriesConfig.KEY) private readonly config: RepositoriesConfig,
  ) {}

  async run<T>(
    projectId: string,
    repoAuth: unknown,
    name: RepositoryOperation,
    operation: RepoOperation<T>,
  ): Promise<T> {
    const authName = authorizationName(repoAuth);
    const access = await this.credentials.apiAccess(projectId, authName);
    const ctx: RepoContext = {
      target: access.target,
      credential: access.credential,
      login: access.login,
      limits: this.config,
      operation: name,
    };
    try {
      return await operation(access.strategy, ctx);
    } catch (error) {
      if (!(error instanceof ProviderRejectedError))
        throw toRepoAppError(access.strategy.descriptor, error);
      await access.refused();
      throw new AppError(
        'AUTHORIZATION_INVALID',
        `${access.strategy.descriptor.displayName} no longer accepts the authorization "${authName}"; re-authorize it`,
      );
    }
  }
}

function authorizationName(value: unknown): string {
  if (value === undefined || value === '')
    throw new AppError(
      'INVALID_PARAMETER',
      'The X-Repo-Auth header (an authorization name) is required',
    );
  if (typeof value !== 'string' || !AUTHORIZATION_NAME_PATTERN.test(value))
    throw new AppError(
      'INVALID_PARAMETER',
      'X-Repo-Auth must be an authorization name: 4-63 characters of letters, digits, ".", "_" or "-"',
    );
  return value;
}
