import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import {
  type ConsumedOAuthState,
  type NewOAuthState,
  type OAuthStateBinding,
  OAuthStateRepository,
  type PendingOAuthState,
  type StateConsumption,
} from './oauth-state.repository';
import type { Bytes } from '../domain/authorization';
import { CONSUME_STATE_SQL, DELETE_EXPIRED_STATES_SQL, INSERT_STATE_SQL } from './oauth-state.sql';

@Injectable()
export class PrismaOAuthStateRepository extends OAuthStateRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  // The redirect and the completion of every OAuth flow: straight to the pool (issue 14).
  async create(state: NewOAuthState): Promise<void> {
    await this.prisma.queryRows(INSERT_STATE_SQL, [
      state.stateHash,
      state.projectId,
      state.repoType,
      state.tag,
      state.keyId,
      state.codeVerifierSealed,
      state.expiresAt,
    ]);
  }

  async consume(binding: OAuthStateBinding, name: string, now: Date): Promise<StateConsumption> {
    const [row] = await this.prisma.queryRows<
      ConsumedOAuthState & { nameTaken: boolean; consumed: boolean }
    >(CONSUME_STATE_SQL, [
      binding.stateHash,
      binding.projectId,
      binding.repoType,
      binding.tag,
      now,
      name,
    ]);
    if (row.nameTaken) return { outcome: 'nameTaken' };
    if (!row.consumed) return { outcome: 'invalid' };
    return {
      outcome: 'consumed',
      state: { keyId: row.keyId, codeVerifierSealed: row.codeVerifierSealed },
    };
  }

  findPending(stateHash: Bytes, now: Date): Promise<PendingOAuthState | null> {
    return this.prisma.oAuthState.findFirst({
      where: { stateHash, expiresAt: { gt: now } },
      select: { projectId: true, repoType: true, tag: true },
    });
  }

  // Every few minutes in every replica: through the pool, so that a replica serving only the hot paths never
  // starts Prisma's query compiler for it (~20 MiB; PrismaService.onModuleInit).
  deleteExpired(now: Date, limit: number): Promise<number> {
    return this.prisma.execute(DELETE_EXPIRED_STATES_SQL, [now, limit]);
  }

  async deleteSealedWithOtherKey(keyId: string): Promise<number> {
    const { count } = await this.prisma.oAuthState.deleteMany({ where: { keyId: { not: keyId } } });
    return count;
  }
}
