import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { assertDistinct } from './provider-descriptor';
import type { RepoProviderStrategy } from './repo-provider.strategy';

/** DI token under which the module collects every RepoProviderStrategy. */
export const REPO_PROVIDER_STRATEGIES = Symbol('REPO_PROVIDER_STRATEGIES');

/**
 * Strategies by repo type. Built at boot: two strategies with one repo type or env prefix stop start-up, so a
 * provider cannot be shadowed. Adding one is a strategy file and a line in registered-providers.ts.
 */
@Injectable()
export class ProviderRegistry {
  private readonly byType = new Map<string, RepoProviderStrategy>();

  constructor(@Inject(REPO_PROVIDER_STRATEGIES) strategies: readonly RepoProviderStrategy[]) {
    assertDistinct(strategies.map((s) => s.descriptor));
    for (const strategy of strategies) this.byType.set(strategy.descriptor.repoType, strategy);
  }

  /** The strategy of a repo type from a request path or a row: anything else is SVCSTG.REPO.0401. */
  get(repoType: string): RepoProviderStrategy {
    const strategy = this.byType.get(repoType);
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
