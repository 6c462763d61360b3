import { BackgroundWork } from '../../src/common/lifecycle/background-work';
import { Metrics } from '../../src/common/metrics/metrics';
import { loadAppConfig } from '../../src/config/app.config';
import { type GitAuthConfig, loadGitAuthConfig } from '../../src/config/git-auth.config';
import { loadMetricsConfig } from '../../src/config/metrics.config';
import { AuthorizationSecrets } from '../../src/git-auth/crypto/authorization-secrets';
import { parseKeyRing } from '../../src/git-auth/crypto/key-ring';
import { SecretSealer } from '../../src/git-auth/crypto/secret-sealer';
import type { GrantRevoker } from '../../src/git-auth/grant-revoker';
import { OAuthApps } from '../../src/git-auth/oauth-apps';
import type { AuthorizationRepository } from '../../src/git-auth/persistence/authorization.repository';
import type { ProviderHttp } from '../../src/git-auth/providers/http/provider-http';
import type { OAuthTokenClient } from '../../src/git-auth/providers/oauth-token-client';
import { ProviderRegistry } from '../../src/git-auth/providers/provider-registry';
import { loadProvidersConfig, type OAuthApp } from '../../src/git-auth/providers/providers.config';
import { PROVIDERS, PROVIDER_STRATEGIES } from '../../src/git-auth/providers/registered-providers';
import type {
  RepoProviderStrategy,
  RepoProviderStrategyClass,
  RevocationScope,
} from '../../src/git-auth/providers/repo-provider.strategy';
import { TokenRefresher } from '../../src/git-auth/token-refresher';
import { notCalled } from './not-called';

/** Real sealing with a fixed test key. */
export const secrets = new AuthorizationSecrets(
  new SecretSealer(parseKeyRing(`unit:${Buffer.alloc(32, 9).toString('base64')}`, 'test')),
);

/** An OAuth application configured for every registered provider (and an `intl` tag for each). */
export const apps = new OAuthApps(
  loadProvidersConfig(
    Object.fromEntries(
      PROVIDERS.flatMap((p) =>
        ['', '_INTL'].flatMap((tag) => [
          [`${p.envPrefix}${tag}_CLIENT_ID`, `${p.repoType}-client${tag}`],
          [`${p.envPrefix}${tag}_CLIENT_SECRET`, `${p.repoType}-secret`],
          [`${p.envPrefix}${tag}_REDIRECT_URI`, 'https://console.example.com/cb'],
        ]),
      ),
    ),
  ),
);

export const gitAuthConfig = loadGitAuthConfig({});

/** The refresher over the given ports, with its own background work (returned as `background`). */
export function refresherOf(
  authorizations: AuthorizationRepository,
  registry: ProviderRegistry,
  config: GitAuthConfig = gitAuthConfig,
  background = new BackgroundWork(),
  metrics = new Metrics(loadMetricsConfig({})),
): TokenRefresher {
  return new TokenRefresher(
    authorizations,
    registry,
    apps,
    secrets,
    background,
    config,
    loadAppConfig({}),
    metrics,
  );
}

/**
 * A registered provider's real strategy whose network steps are the given ones: any other provider call (token
 * endpoint, HTTP) fails the test.
 */
export function strategyOf(
  repoType: string,
  steps: Partial<
    Pick<RepoProviderStrategy, 'exchangeCode' | 'refresh' | 'fetchProfile' | 'revoke'>
  > = {},
): RepoProviderStrategy {
  const Strategy = PROVIDER_STRATEGIES.find((s) => s.descriptor.repoType === repoType);
  if (!Strategy) throw new Error(`no provider ${repoType}`);
  const construct = Strategy as unknown as new (
    tokens: OAuthTokenClient,
    http: ProviderHttp,
  ) => RepoProviderStrategy;
  return Object.assign(
    new construct(notCalled<OAuthTokenClient>('tokens'), notCalled<ProviderHttp>('http')),
    steps,
  );
}

/** Every registered provider, with `strategies` standing in for some of them. */
export function registryWith(...strategies: RepoProviderStrategy[]): ProviderRegistry {
  const given = new Map(strategies.map((s) => [s.descriptor.repoType, s]));
  return new ProviderRegistry(
    PROVIDER_STRATEGIES.map(
      (s: RepoProviderStrategyClass) =>
        given.get(s.descriptor.repoType) ?? strategyOf(s.descriptor.repoType),
    ),
  );
}

interface Revocation {
  readonly repoType: string;
  readonly app: OAuthApp;
  readonly accessToken: string;
  readonly scope: RevocationScope;
  readonly why: { name: string; reason: string };
}

/** Records what would be revoked upstream in the background. */
export class RecordingRevoker {
  readonly revocations: Revocation[] = [];

  revokeInBackground(
    strategy: RepoProviderStrategy,
    app: OAuthApp,
    accessToken: string,
    scope: RevocationScope,
    why: { name: string; reason: string },
  ): void {
    this.revocations.push({ repoType: strategy.descriptor.repoType, app, accessToken, scope, why });
  }

  asRevoker(): GrantRevoker {
    return this as unknown as GrantRevoker;
  }
}
