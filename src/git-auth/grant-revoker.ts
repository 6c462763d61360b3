import { Injectable, Logger } from '@nestjs/common';
import { BackgroundWork } from '../common/lifecycle/background-work';
import type { OAuthApp } from './providers/providers.config';
import type { RepoProviderStrategy, RevocationScope } from './providers/repo-provider.strategy';

/**
 * Best-effort upstream revocation (GitHub, GitLab): started after the decision is final, bounded by the provider
 * timeout, logged, and never failing or delaying the caller's request. Shutdown waits for revocations in flight.
 */
@Injectable()
export class GrantRevoker {
  private readonly logger = new Logger(GrantRevoker.name);

  constructor(private readonly background: BackgroundWork) {}

  /** @param why what the log says this revocation is for (never a secret) */
  revokeInBackground(
    strategy: RepoProviderStrategy,
    app: OAuthApp,
    accessToken: string,
    scope: RevocationScope,
    why: { name: string; reason: string },
  ): void {
    const { repoType } = strategy.descriptor;
    const context = { repoType, scope, ...why };
    this.background.run(`revoke ${repoType} ${why.name}`, () =>
      strategy.revoke(app, accessToken, scope).then(
        () => this.logger.log({ msg: 'revoked upstream', ...context }),
        (error: unknown) =>
          this.logger.warn({
            msg: 'upstream revocation failed (nothing else depends on it)',
            ...context,
            error: error instanceof Error ? error.message : String(error),
          }),
      ),
    );
  }
}
