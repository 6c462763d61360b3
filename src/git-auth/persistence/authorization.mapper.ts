import type { StoredAuthorization } from '../domain/authorization';
import type { AuthorizationStatus } from '../domain/repo-type';
import type { Authorization as AuthorizationRow } from '../../database/generated/prisma/client';

export function toStoredAuthorization(row: AuthorizationRow): StoredAuthorization {
  return {
    id: row.id,
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
    login: row.login,
    status: row.status as AuthorizationStatus,
    keyId: row.keyId,
    secretSealed: row.secretSealed,
    refreshTokenSealed: row.refreshTokenSealed,
    tokenExpiresAt: row.tokenExpiresAt,
    refreshTokenExpiresAt: row.refreshTokenExpiresAt,
    scope: row.scope,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
