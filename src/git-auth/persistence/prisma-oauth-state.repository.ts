import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import {
  type ConsumedOAuthState,
  type NewOAuthState,
  type OAuthStateBinding,
  OAuthStateRepository,
  type PendingOAuthState,
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

  async consume(binding: OAuthStateBinding, now: Date): Promise<ConsumedOAuthState | null> {
    const rows = await this.prisma.queryRows<ConsumedOAuthState>(CONSUME_STATE_SQL, [
      binding.stateHash,
      binding.projectId,
      binding.repoType,
      binding.tag,
      now,
    ]);
    return rows[0] ?? null;
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
