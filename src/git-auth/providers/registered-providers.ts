import { BitbucketStrategy } from './bitbucket.strategy';
import { GiteaStrategy } from './gitea.strategy';
import { GiteeStrategy } from './gitee.strategy';
import { GitHubStrategy } from './github.strategy';
import { GitLabStrategy } from './gitlab.strategy';
import {
  accepts,
  assertDistinct,
  type DirectTokenType,
  type ProviderDescriptor,
} from './provider-descriptor';
import type { RepoProviderStrategyClass } from './repo-provider.strategy';

/**
 * The providers this service speaks to, one line each; a provider's strategy file says everything else.
 * Dependency injection, configuration, Swagger and the tests all read this list.
 */
export const PROVIDER_STRATEGIES: readonly RepoProviderStrategyClass[] = [
  GitHubStrategy,
  GitLabStrategy,
  GiteeStrategy,
  BitbucketStrategy,
  GiteaStrategy,
];

export const PROVIDERS: readonly ProviderDescriptor[] = PROVIDER_STRATEGIES.map(
  (s) => s.descriptor,
);
assertDistinct(PROVIDERS);

export const REPO_TYPES: readonly string[] = PROVIDERS.map((p) => p.repoType);

/** The repo types that take personal tokens, or passwords. */
export function repoTypesAccepting(tokenType: DirectTokenType): string[] {
  return PROVIDERS.filter((p) => accepts(p, tokenType)).map((p) => p.repoType);
}
