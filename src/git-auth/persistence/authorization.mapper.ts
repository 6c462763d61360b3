import type {
  Authorization,
  AuthorizationStatus,
  StoredAuthorization,
} from '../domain/authorization';
import type {
  Authorization as AuthorizationRow,
  Prisma,
} from '../../database/generated/prisma/client';

/** The columns a listing needs: never the sealed secrets (less to read, nothing secret in memory). */
export const PUBLIC_COLUMNS = {
  projectId: true,
  name: true,
  repoType: true,
  tag: true,
  tokenType: true,
  repoHost: true,
  apiUrl: true,
  repoHome: true,
  repoUser: true,
  avatar: true,
  status: true,
  tokenExpiresAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.AuthorizationSelect;

export function toAuthorization(
  row: Pick<AuthorizationRow, keyof typeof PUBLIC_COLUMNS>,
): Authorization {
  return { ...row, status: row.status as AuthorizationStatus };
}

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
