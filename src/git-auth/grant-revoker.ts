import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { OAuthApp } from './providers/providers.config';
import type { RepoProviderStrategy, RevocationScope } from './providers/repo-provider.strategy';

/**
 * Best-effort upstream revocation (GitHub, GitLab): started after the decision is final, bounded by the provider
 * timeout, logged, and never failing or delaying the caller's request.
 */
@Injectable()
export class GrantRevoker implements OnApplicationShutdown {
  private readonly logger = new Logger(GrantRevoker.name);
  private readonly pending = new Set<Promise<void>>();

  /** @param why what the log says this revocation is for (never a secret) */
  revokeInBackground(
    strategy: RepoProviderStrategy,
    app: OAuthApp,
    accessToken: string,
    scope: RevocationScope,
    why: { name: string; reason: string },
  ): void {
    const context = { repoType: strategy.descriptor.repoType, scope, ...why };
    const revocation = strategy
      .revoke(app, accessToken, scope)
      .then(
        () => this.logger.log({ msg: 'revoked upstream', ...context }),
        (error: unknown) =>
          this.logger.warn({
            msg: 'upstream revocation failed (nothing else depends on it)',
            ...context,
            error: error instanceof Error ? error.message : String(error),
          }),
      )
      .finally(() => this.pending.delete(revocation));
    this.pending.add(revocation);
  }

  /** Lets revocations in flight finish (each is bounded by the provider timeout) before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
