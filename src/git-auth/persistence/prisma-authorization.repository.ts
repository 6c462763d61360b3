import { Inject, Injectable } from '@nestjs/common';
import { gitAuthConfig, type GitAuthConfig } from '../../config/git-auth.config';
import { isRecordNotFound, isUniqueViolation } from '../../database/prisma-errors';
import { PrismaService } from '../../database/prisma.service';
import type {
  Authorization,
  NewAuthorization,
  ProfileFields,
  StoredAuthorization,
} from '../domain/authorization';
import { nameTaken } from '../domain/errors';
import type { AuthorizationStatus } from '../domain/repo-type';
import { AuthorizationRepository, type LockedUpdate } from './authorization.repository';
import { PUBLIC_COLUMNS, toAuthorization, toStoredAuthorization } from './authorization.mapper';

@Injectable()
export class PrismaAuthorizationRepository extends AuthorizationRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
  ) {
    super();
  }

  async listByProject(projectId: string): Promise<Authorization[]> {
    const rows = await this.prisma.authorization.findMany({
      where: { projectId },
      select: PUBLIC_COLUMNS,
      orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toAuthorization);
  }

  async exists(projectId: string, name: string): Promise<boolean> {
    const row = await this.prisma.authorization.findUnique({
      where: { projectId_name: { projectId, name } },
      select: { id: true },
    });
    return row !== null;
  }

  async create(a: NewAuthorization): Promise<StoredAuthorization> {
    try {
      const row = await this.prisma.authorization.create({
        data: {
          projectId: a.projectId,
          name: a.name,
          repoType: a.repoType,
          tag: a.tag,
          tokenType: a.tokenType,
          repoHost: a.repoHost,
          apiUrl: a.apiUrl,
          repoHome: a.repoHome,
          repoUser: a.repoUser,
          avatar: a.avatar,
          login: a.login,
          keyId: a.keyId,
          secretSealed: a.secretSealed,
          refreshTokenSealed: a.refreshTokenSealed,
          tokenExpiresAt: a.tokenExpiresAt,
          refreshTokenExpiresAt: a.refreshTokenExpiresAt,
          scope: a.scope,
        },
      });
      return toStoredAuthorization(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(a.name);
      throw error;
    }
  }

  async find(projectId: string, name: string): Promise<StoredAuthorization | null> {
    const row = await this.prisma.authorization.findUnique({
      where: { projectId_name: { projectId, name } },
    });
    return row && toStoredAuthorization(row);
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

  updateStatus(
    projectId: string,
    name: string,
    status: AuthorizationStatus,
  ): Promise<StoredAuthorization | null> {
    return this.update(projectId, name, { status });
  }

  updateProfile(
    projectId: string,
    name: string,
    profile: ProfileFields,
  ): Promise<StoredAuthorization | null> {
    return this.update(projectId, name, { ...profile, status: 0 });
  }

  async withRowLock(
    projectId: string,
    name: string,
    decide: (current: StoredAuthorization) => Promise<LockedUpdate>,
  ): Promise<StoredAuthorization | null> {
    // The provider call inside `decide` is bounded by the provider timeout; the transaction must outlive it,
    // and waiters queue on the row lock for up to as long as the callers before them.
    const budgetMs = this.config.providerTimeoutMs * 3 + 5_000;
    return this.prisma.$transaction(
      async (tx) => {
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
                data: { ...update.secrets, ...update.lifetimes, status: 0 },
              }),
            );
        }
      },
      { maxWait: budgetMs, timeout: budgetMs },
    );
  }

  private async update(
    projectId: string,
    name: string,
    data: Partial<ProfileFields> & { status: AuthorizationStatus },
  ): Promise<StoredAuthorization | null> {
    try {
      return toStoredAuthorization(
        await this.prisma.authorization.update({
          where: { projectId_name: { projectId, name } },
          data,
        }),
      );
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw error;
    }
  }
}
