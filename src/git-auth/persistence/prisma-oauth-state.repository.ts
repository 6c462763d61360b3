import { Injectable } from '@nestjs/common';
import { isRecordNotFound } from '../../database/prisma-errors';
import { PrismaService } from '../../database/prisma.service';
import {
  type ConsumedOAuthState,
  type NewOAuthState,
  type OAuthStateBinding,
  OAuthStateRepository,
  type PendingOAuthState,
} from './oauth-state.repository';
import type { Bytes } from '../domain/authorization';

@Injectable()
export class PrismaOAuthStateRepository extends OAuthStateRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async create(state: NewOAuthState): Promise<void> {
    await this.prisma.oAuthState.create({ data: state });
  }

  async consume(binding: OAuthStateBinding, now: Date): Promise<ConsumedOAuthState | null> {
    try {
      // DELETE … WHERE state_hash = … AND project_id = … AND expires_at > … RETURNING: atomic.
      return await this.prisma.oAuthState.delete({
        where: {
          stateHash: binding.stateHash,
          projectId: binding.projectId,
          repoType: binding.repoType,
          tag: binding.tag,
          expiresAt: { gt: now },
        },
        select: { keyId: true, codeVerifierSealed: true },
      });
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw error;
    }
  }

  findPending(stateHash: Bytes, now: Date): Promise<PendingOAuthState | null> {
    return this.prisma.oAuthState.findFirst({
      where: { stateHash, expiresAt: { gt: now } },
      select: { projectId: true, repoType: true, tag: true },
    });
  }

  deleteExpired(now: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM oauth_states WHERE state_hash IN (
        SELECT state_hash FROM oauth_states WHERE expires_at <= ${now} LIMIT ${limit})`;
  }

  async deleteSealedWithOtherKey(keyId: string): Promise<number> {
    const { count } = await this.prisma.oAuthState.deleteMany({ where: { keyId: { not: keyId } } });
    return count;
  }
}
