import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service';
import type { Authorization } from '../domain/authorization';
import { AuthorizationRepository } from './authorization.repository';
import { toAuthorization } from './authorization.mapper';

@Injectable()
export class PrismaAuthorizationRepository extends AuthorizationRepository {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async listByProject(projectId: string): Promise<Authorization[]> {
    const rows = await this.prisma.authorization.findMany({
      where: { projectId },
      orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toAuthorization);
  }
}
