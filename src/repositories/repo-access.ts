import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuditOperation, AuditTarget, PendingAudit } from '../audit/audit-trail';
import { AuditTrail } from '../audit/audit-trail';
import { AppError } from '../common/errors/app-error';
import { ERRORS } from '../common/errors/error-codes';
import { toAppError } from '../common/errors/to-app-error';
import { type ApiAccess, CredentialService } from '../git-auth/credential.service';
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

/** A write's entry in the audit trail: what it does to which target. */
export interface AuditedWrite {
  readonly operation: AuditOperation & RepositoryOperation;
  readonly target: AuditTarget;
}

/**
 * The one resolution of `X-Repo-Auth` for every repository operation: the name's rules (missing or malformed
 * 0400), the authorization (unknown 0450, not normal 0451, host no longer allowed 0454), refreshed before use as
 * the credential endpoint does; then the operation, with the provider's answers mapped — a refused credential
 * marks the authorization and is 0451.
 */
@Injectable()
export class RepoAccess {
  private readonly logger = new Logger(RepoAccess.name);

  constructor(
    private readonly credentials: CredentialService,
    private readonly audit: AuditTrail,
    @Inject(repositoriesConfig.KEY) private readonly config: RepositoriesConfig,
  ) {}

  /** A read: resolved, then done. */
  run<T>(
    projectId: string,
    repoAuth: unknown,
    name: RepositoryOperation,
    operation: RepoOperation<T>,
  ): Promise<T> {
    return this.perform(projectId, repoAuth, name, operation);
  }

  /**
   * A write: once X-Repo-Auth resolved, recorded as pending in the audit trail before the provider hears of
   * it — a trail that cannot record stops the write (its error, 503, is the answer) — and finished with the
   * outcome and the code the caller gets.
   */
  write<T>(
    projectId: string,
    repoAuth: unknown,
    audited: AuditedWrite,
    operation: RepoOperation<T>,
  ): Promise<T> {
    return this.perform(projectId, repoAuth, audited.operation, operation, (authorizationName) =>
      this.audit.begin({ projectId, authorizationName, ...audited }),
    );
  }

  private async perform<T>(
    projectId: string,
    repoAuth: unknown,
    name: RepositoryOperation,
    operation: RepoOperation<T>,
    begin?: (authorizationName: string) => Promise<PendingAudit>,
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
    const pending = await begin?.(authName);
    let result: T;
    try {
      result = await this.call(access, authName, ctx, operation);
    } catch (error) {
      await this.finish(pending, name, 'failed', toAppError(error)?.code ?? ERRORS.INTERNAL.code);
      throw error;
    }
    await this.finish(pending, name, 'succeeded');
    return result;
  }

  /**
   * The entry was recorded before the write; should its outcome not be, it stays pending — which says the write
   * may have happened. The caller still gets the write's own answer: a 503 for a write that was done would
   * invite a retry of it.
   */
  private async finish(
    pending: PendingAudit | undefined,
    operation: RepositoryOperation,
    outcome: 'succeeded' | 'failed',
    errorCode?: string,
  ): Promise<void> {
    try {
      await pending?.finish(outcome, errorCode);
    } catch (error) {
      this.logger.error({
        msg: 'audit outcome not recorded; the entry stays pending',
        operation,
        outcome,
        err: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async call<T>(
    access: ApiAccess,
    authName: string,
    ctx: RepoContext,
    operation: RepoOperation<T>,
  ): Promise<T> {
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
