import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { GitCredentialResult } from '../credential.service';
import { ACCOUNT_LOGIN, type SecretUse } from '../providers/provider-descriptor';
import { PROVIDERS } from '../providers/registered-providers';

const gitUser = (use: SecretUse) =>
  use.gitUsername === ACCOUNT_LOGIN ? 'the login' : use.gitUsername;
/** "GitHub x-access-token, …, Bitbucket x-token-auth (password: the login)", from the providers' descriptors. */
const GIT_USERS = PROVIDERS.map((p) => {
  const direct = Object.entries(p.secrets)
    .filter(([kind, use]) => kind !== 'oauth' && gitUser(use) !== gitUser(p.secrets.oauth))
    .map(([kind, use]) => `${kind}: ${gitUser(use)}`);
  return `${p.displayName} ${gitUser(p.secrets.oauth)}${direct.length > 0 ? ` (${direct.join(', ')})` : ''}`;
}).join(', ');

/** The one response of this API that carries a secret: for internal consumers that clone code. */
@ApiSchema({ name: 'ShowGitCredentialResponse' })
export class GitCredentialDto {
  @ApiProperty({ example: 'gitlab' })
  repo_type!: string;

  @ApiProperty({ example: 'https://gitlab.com' })
  repo_host!: string;

  @ApiProperty({
    description: `User name for \`git clone https://username:token@host/…\`: ${GIT_USERS}`,
    example: 'oauth2',
  })
  username!: string;

  @ApiProperty({
    description:
      'The secret: an access token valid for at least CREDENTIAL_MIN_TTL_SECONDS, or the password',
    example: 'glpat-…',
  })
  token!: string;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    nullable: true,
    description: 'When the token expires, epoch milliseconds; null for tokens without expiry',
    example: 1764367639000,
  })
  expires_at!: number | null;
}

export function toGitCredentialDto(result: GitCredentialResult): GitCredentialDto {
  return {
    repo_type: result.repoType,
    repo_host: result.repoHost,
    username: result.username,
    token: result.token,
    expires_at: result.expiresAt?.getTime() ?? null,
  };
}
