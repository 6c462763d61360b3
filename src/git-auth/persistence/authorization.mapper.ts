import type { Authorization } from '../domain/authorization';
import type { AuthorizationStatus } from '../domain/repo-type';
import type { Authorization as AuthorizationRow } from '../../database/generated/prisma/client';

export function toAuthorization(row: AuthorizationRow): Authorization {
  return {
    projectId: row.projectId,
    name: row.name,
    repoType: row.repoType,
    tag: row.tag,
    tokenType: row.tokenType,
    repoHost: row.repoHost,
    apiUrl: row.apiUrl,
    repoHome: row.repoHome,
    repoUser: row.repoUser,
    avatar: row.avatar,
    status: row.status as AuthorizationStatus,
    tokenExpiresAt: row.tokenExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
