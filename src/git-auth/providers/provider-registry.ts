import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { REPO_TYPES, type RepoType } from '../domain/repo-type';
import type { RepoProviderStrategy } from './repo-provider.strategy';

/** DI token under which the module collects every RepoProviderStrategy. */
export const REPO_PROVIDER_STRATEGIES = Symbol('REPO_PROVIDER_STRATEGIES');

/**
 * Strategies by repo type. Built at boot: a duplicate or a missing type stops start-up, so a provider can
 * neither be shadowed nor forgotten. Adding one is a class and a line in the module.
 */
@Injectable()
export class ProviderRegistry {
  private readonly byType = new Map<RepoType, RepoProviderStrategy>();

  constructor(@Inject(REPO_PROVIDER_STRATEGIES) strategies: readonly RepoProviderStrategy[]) {
    for (const strategy of strategies) {
      if (this.byType.has(strategy.repoType)) {
        throw new Error(
          `Two RepoProviderStrategy registrations for repo type "${strategy.repoType}"`,
        );
      }
      this.byType.set(strategy.repoType, strategy);
    }
    const missing = REPO_TYPES.filter((t) => !this.byType.has(t));
    if (missing.length > 0)
      throw new Error(`No RepoProviderStrategy for repo type(s): ${missing.join(', ')}`);
  }

  /** The strategy of a repo type from a request path: anything else is SVCSTG.REPO.0401. */
  get(repoType: string): RepoProviderStrategy {
    const strategy = this.byType.get(repoType as RepoType);
    if (!strategy) {
      throw new AppError(
        'REPO_TYPE_NOT_SUPPORTED',
        `Repository type "${truncate(repoType)}" is not implemented`,
      );
    }
    return strategy;
  }
}

function truncate(value: string): string {
  return value.length > 32 ? `${value.slice(0, 32)}…` : value;
}
