import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { OAuthApp } from '../config/providers.config';
import type { RepoProviderStrategy } from './providers/repo-provider.strategy';

/**
 * Best-effort upstream revocation of OAuth grants (GitHub grant, GitLab token): started after the row is gone,
 * bounded by the provider timeout, logged, and never failing or delaying the caller's request.
 */
@Injectable()
export class GrantRevoker implements OnApplicationShutdown {
  private readonly logger = new Logger(GrantRevoker.name);
  private readonly pending = new Set<Promise<void>>();

  revokeInBackground(
    strategy: RepoProviderStrategy,
    app: OAuthApp,
    accessToken: string,
    name: string,
  ): void {
    const revocation = strategy
      .revoke(app, accessToken)
      .then(
        () => this.logger.log({ msg: 'grant revoked upstream', repoType: strategy.repoType, name }),
        (error: unknown) =>
          this.logger.warn({
            msg: 'upstream revocation failed; the authorization is deleted here regardless',
            repoType: strategy.repoType,
            name,
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
