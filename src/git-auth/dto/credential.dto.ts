import { ApiProperty } from '@nestjs/swagger';

/** The one response of this API that carries a secret: for internal consumers that clone code. */
export class GitCredentialDto {
  @ApiProperty({ example: 'gitlab' })
  repo_type!: string;

  @ApiProperty({ example: 'https://gitlab.com' })
  repo_host!: string;

  @ApiProperty({
    description:
      'User name for `git clone https://username:token@host/…` (GitHub x-access-token, GitLab oauth2, Bitbucket x-token-auth or the user…)',
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
