import { Injectable } from '@nestjs/common';
import type { Authorization } from './domain/authorization';
import { AuthorizationRepository } from './persistence/authorization.repository';

@Injectable()
export class GitAuthService {
  constructor(private readonly authorizations: AuthorizationRepository) {}

  list(projectId: string): Promise<Authorization[]> {
    return this.authorizations.listByProject(projectId);
  }
}
