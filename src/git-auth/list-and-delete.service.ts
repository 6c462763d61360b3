import { Injectable, Logger } from '@nestjs/common';
import { AuthorizationSecrets } from './crypto/authorization-secrets';
import type { AuthorizationSummary, StoredAuthorization } from './domain/authorization';
import { notFound } from './domain/errors';
import { GrantRevoker } from './grant-revoker';
import { OAuthApps } from './oauth-apps';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { ProviderRegistry } from './providers/provider-registry';

/** Operations a and f: list and delete. */
@Injectable()
export class ListAndDeleteService {
  private readonly logger = new Logger(ListAndDeleteService.name);

  constructor(
    private readonly authorizations: AuthorizationRepository,
    private readonly registry: ProviderRegistry,
    private readonly apps: OAuthApps,
    private readonly secrets: AuthorizationSecrets,
    private readonly revoker: GrantRevoker,
  ) {}

  list(projectId: string): Promise<AuthorizationSummary[]> {
    return this.authorizations.listByProject(projectId);
  }

  /**
   * The row goes first; an OAuth authorization is then revoked upstream in the background (best effort). The
   * whole grant is withdrawn only when no other authorization, in any project, holds a token of the same
   * account through the same application: revoking a shared grant would silently break the others.
   */
  async delete(projectId: string, name: string): Promise<void> {
    const deleted = await this.authorizations.delete(projectId, name);
    if (!deleted) throw notFound(name);
    if (deleted.tokenType !== 'oauth') return;
    // The row is gone whatever happens now: revocation never fails the delete.
    await this.revokeUpstream(deleted).catch((error: unknown) =>
      this.logger.warn({
        msg: 'not revoked upstream',
        name: deleted.name,
        error: (error as Error).message,
      }),
    );
  }

  private async revokeUpstream(deleted: StoredAuthorization): Promise<void> {
    const app = this.apps.find(deleted.repoType, deleted.tag);
    if (!app) {
      this.logger.warn({
        msg: 'not revoked upstream: its OAuth application is no longer configured',
        name: deleted.name,
      });
      return;
    }
    let accessToken: string;
    try {
      accessToken = this.secrets.open(deleted).secret;
    } catch (error) {
      this.logger.warn({
        msg: 'not revoked upstream: cannot unseal its token',
        name: deleted.name,
        error: (error as Error).message,
      });
      return;
    }
    const shared = (await this.authorizations.countGrantHolders(deleted)) > 0;
    this.revoker.revokeInBackground(
      this.registry.get(deleted.repoType),
      app,
      accessToken,
      shared ? 'token' : 'grant',
      {
        name: deleted.name,
        reason: 'authorization deleted',
      },
    );
  }
}
