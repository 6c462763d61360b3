import type { Authorization } from '../domain/authorization';

/**
 * Persistence port of the authorizations. Every method is scoped by project id, so one project can never
 * reach another's rows, whatever the layers above do.
 */
export abstract class AuthorizationRepository {
  abstract listByProject(projectId: string): Promise<Authorization[]>;
}
