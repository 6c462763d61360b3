import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from '../../config/database.config';
import { gitAuthConfig, type GitAuthConfig } from '../../config/git-auth.config';
import { isLockTimeout, isRecordNotFound, isUniqueViolationOf } from '../../database/prisma-errors';
import { PrismaService } from '../../database/prisma.service';
import {
  type Authorization,
  AuthorizationStatus,
  type AuthorizationSummary,
  type Bytes,
  type NewAuthorization,
  type ProfileFields,
  publicView,
  type SealedCredential,
  type SealedSecrets,
  type StoredAuthorization,
  type StoredDefaults,
} from '../domain/authorization';
import { nameTaken } from '../domain/errors';
import {
  AuthorizationRepository,
  type LockedUpdate,
  RowLockTimeoutError,
  type TokensUpdate,
} from './authorization.repository';
import { PUBLIC_COLUMNS, toAuthorization, toStoredAuthorization } from './authorization.mapper';
import {
  INSERT_AUTHORIZATION_SQL,
  LIST_SQL,
  NAME_EXISTS_SQL,
  NAME_UNIQUE_INDEX,
  SEALED_CREDENTIAL_SQL,
} from './authorization.sql';

@Injectable()
export class PrismaAuthorizationRepository extends AuthorizationRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
    @Inject(databaseConfig.KEY) private readonly database: DatabaseConfig,
  ) {
    super();
  }

  listByProject(projectId: string): Promise<AuthorizationSummary[]> {
    return this.prisma.queryRows<AuthorizationSummary>(LIST_SQL, [projectId]);
  }

  async exists(projectId: string, name: string): Promise<boolean> {
    const rows = await this.prisma.queryRows(NAME_EXISTS_SQL, [projectId, name]);
    return rows.length > 0;
  }

  async create(a: NewAuthorization): Promise<Authorization> {
    let rows: StoredDefaults[];
    try {
      rows = await this.prisma.queryRows(INSERT_AUTHORIZATION_SQL, [
        randomUUID(),
        a.projectId,
        a.name,
        a.repoType,
        a.tag,
        a.tokenType,
        a.repoHost,
        a.apiUrl,
        a.repoHome,
        a.repoUser,
        a.avatar,
        a.login,
        a.keyId,
        a.secretSealed,
        a.refreshTokenSealed,
        a.tokenExpiresAt,
        a.refreshTokenExpiresAt,
        a.scope,
      ]);
    } catch (error) {
      if (isUniqueViolationOf(error, NAME_UNIQUE_INDEX)) throw nameTaken(a.name);
      throw error;
    }
    // The new row's public part: what the service sent, with the database's defaults for the rest (no spreads
    // merging the two: that costs microseconds on Node.js 20, a new hidden class each time).
    return publicView(a, rows[0]);
  }

  async find(projectId: string, name: string): Promise<StoredAuthorization | null> {
    const row = await this.prisma.authorization.findUnique({
      where: { projectId_name: { projectId, name } },
    });
    return row && toStoredAuthorization(row);
  }

  async findSealedCredential(projectId: string, name: string): Promise<SealedCredential | null> {
    const rows = await this.prisma.queryRows<SealedCredential>(SEALED_CREDENTIAL_SQL, [
      projectId,
      name,
    ]);
    return rows[0] ?? null;
  }

  countGrantHolders(
    grant: Pick<Authorization, 'repoType' | 'tag' | 'repoHost' | 'repoUser'>,
  ): Promise<number> {
    return this.prisma.authorization.count({
      where: {
        tokenType: 'oauth',
        repoType: grant.repoType,
        tag: grant.tag,
        repoHost: grant.repoHost,
        repoUser: grant.repoUser,
      },
    });
  }

  async delete(projectId: string, name: string): Promise<StoredAuthorization | null> {
    try {
      return toStoredAuthorization(
        await this.prisma.authorization.delete({ where: { projectId_name: { projectId, name } } }),
      );
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw error;
    }
  }

  async recordCheck(
    projectId: string,
    name: string,
    checked: Bytes,
    outcome: { status: AuthorizationStatus; profile?: ProfileFields },
  ): Promise<Authorization | null> {
    // Only if the row still holds the secret that was checked: a refresh meanwhile makes the verdict stale.
    await this.prisma.authorization.updateMany({
      where: { projectId, name, secretSealed: { equals: checked } },
      data: { status: outcome.status, ...outcome.profile },
    });
    const row = await this.prisma.authorization.findUnique({
      where: { projectId_name: { projectId, name } },
      select: PUBLIC_COLUMNS,
    });
    return row && toAuthorization(row);
  }

  async withRowLock(
    projectId: string,
    name: string,
    decide: (current: StoredAuthorization) => Promise<LockedUpdate>,
  ): Promise<StoredAuthorization | null> {
    // Waiting for the lock is bounded below the statement bound (the client gives up on any statement soon after
    // it, to detect a frozen server), and far below another replica's refresh, which may hold the lock for up to
    // REFRESH_TIMEOUT_MS: such a waiter gives up (504) having sent nothing, and its next call finds the token that
    // refresh stored. The transaction, idle while `decide` calls the provider, outlives both the wait and that
    // call (its own idle_in_transaction bound), so a refresh the provider accepted is not lost to a timeout of ours.
    const lockTimeoutMs = Math.min(
      this.config.providerTimeoutMs + 2_000,
      this.database.statementTimeoutMs - 500,
    );
    const idleMs = this.config.refreshTimeoutMs + 5_000;
    try {
      return await this.lockedTransaction(projectId, name, decide, { lockTimeoutMs, idleMs });
    } catch (error) {
      if (isLockTimeout(error)) throw new RowLockTimeoutError();
      throw error;
    }
  }

  async storeRefreshedTokens(
    projectId: string,
    name: string,
    spent: Bytes,
    update: TokensUpdate,
  ): Promise<StoredAuthorization | null> {
    await this.prisma.authorization.updateMany({
      where: { projectId, name, refreshTokenSealed: { equals: spent } },
      data: tokensData(update),
    });
    const row = await this.prisma.authorization.findUnique({
      where: { projectId_name: { projectId, name } },
    });
    return row && toStoredAuthorization(row);
  }

  async findSealedWithOtherKey(
    keyId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredAuthorization[]> {
    const rows = await this.prisma.authorization.findMany({
      where: { keyId: { not: keyId }, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(toStoredAuthorization);
  }

  async reseal(read: StoredAuthorization, secrets: SealedSecrets): Promise<boolean> {
    const { count } = await this.prisma.authorization.updateMany({
      where: { id: read.id, keyId: read.keyId, updatedAt: read.updatedAt },
      data: {
        keyId: secrets.keyId,
        secretSealed: secrets.secretSealed,
        refreshTokenSealed: secrets.refreshTokenSealed,
      },
    });
    return count === 1;
  }

  countSealedWith(keyId: string): Promise<number> {
    return this.prisma.authorization.count({ where: { keyId } });
  }

  private lockedTransaction(
    projectId: string,
    name: string,
    decide: (current: StoredAuthorization) => Promise<LockedUpdate>,
    bounds: { lockTimeoutMs: number; idleMs: number },
  ): Promise<StoredAuthorization | null> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.trunc(bounds.lockTimeoutMs)}`);
        await tx.$executeRawUnsafe(
          `SET LOCAL idle_in_transaction_session_timeout = ${Math.trunc(bounds.idleMs)}`,
        );
        const locked = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM authorizations WHERE project_id = ${projectId} AND name = ${name} FOR UPDATE`;
        if (locked.length === 0) return null;
        const current = toStoredAuthorization(
          await tx.authorization.findUniqueOrThrow({ where: { id: locked[0].id } }),
        );
        const update = await decide(current);
        switch (update.kind) {
          case 'none':
            return current;
          case 'status':
            return toStoredAuthorization(
              await tx.authorization.update({
                where: { id: current.id },
                data: { status: update.status },
              }),
            );
          case 'tokens':
            return toStoredAuthorization(
              await tx.authorization.update({
                where: { id: current.id },
                data: tokensData(update),
              }),
            );
        }
      },
      { maxWait: this.config.providerTimeoutMs, timeout: bounds.lockTimeoutMs + bounds.idleMs },
    );
  }
}

/** Refreshed tokens as columns: a successful refresh also means the authorization is normal again. */
function tokensData(update: TokensUpdate) {
  return { ...update.secrets, ...update.lifetimes, status: AuthorizationStatus.NORMAL };
}
