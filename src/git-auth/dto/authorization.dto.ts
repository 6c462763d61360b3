import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AuthorizationStatus, TOKEN_TYPES } from '../domain/authorization';
import { REPO_TYPES } from '../providers/registered-providers';
import type { Authorization, AuthorizationSummary } from '../domain/authorization';

/**
 * ServiceStage's AuthorizationVI: what the create operations return. Field names are the wire names; schema names
 * are the official SDK's model names.
 */
@ApiSchema({ name: 'AuthorizationVI' })
class AuthorizationViDto {
  @ApiProperty({
    example: 'my-github',
    description: 'Authorization name, unique within the project',
  })
  name!: string;

  @ApiProperty({ enum: REPO_TYPES, example: 'github' })
  repo_type!: string;

  @ApiProperty({ example: 'https://github.com', description: 'Git server address' })
  repo_host!: string;

  @ApiProperty({
    example: 'https://github.com/octocat',
    description: "The user's home page on the provider",
  })
  repo_home!: string;

  @ApiProperty({ example: 'octocat', description: 'Provider username' })
  repo_user!: string;

  @ApiProperty({
    example: 'https://avatars.githubusercontent.com/u/583231?v=4',
    description: 'Avatar URL (the field name is spelled as documented by ServiceStage)',
  })
  avartar!: string;

  @ApiProperty({ enum: TOKEN_TYPES, example: 'oauth', description: 'Authorization mode' })
  token_type!: string;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    example: 1764360439000,
    description: 'Creation time, epoch milliseconds',
  })
  create_time!: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    example: 1764360439000,
    description: 'Modification time, epoch milliseconds',
  })
  update_time!: number;

  @ApiProperty({
    type: 'integer',
    enum: Object.values(AuthorizationStatus),
    example: 0,
    description: '0 normal, 1 expired, 2 not authenticated',
  })
  status!: number;
}

/** ServiceStage's AuthorizationVO: list items, which also carry the site tag. */
@ApiSchema({ name: 'AuthorizationVO' })
class AuthorizationVoDto extends AuthorizationViDto {
  @ApiProperty({
    example: '',
    description: 'Site tag of the OAuth application; empty for the default one',
  })
  tag!: string;
}

@ApiSchema({ name: 'ListAuthorizationsResponse' })
export class AuthorizationListDto {
  @ApiProperty({
    type: [AuthorizationVoDto],
    description: "The project's authorizations, oldest first",
  })
  authorizations!: AuthorizationVoDto[];

  @ApiProperty({ type: 'integer', example: 1, description: 'Number of authorizations' })
  count!: number;
}

/** `{"authorization": AuthorizationVI}`: one wire shape, under each operation's SDK response name below. */
export class AuthorizationResponseDto {
  @ApiProperty({ type: AuthorizationViDto })
  authorization!: AuthorizationViDto;
}

@ApiSchema({ name: 'CreateOAuthResponse' })
export class CreateOAuthResponseDto extends AuthorizationResponseDto {}

@ApiSchema({ name: 'CreatePersonalAuthResponse' })
export class CreatePersonalAuthResponseDto extends AuthorizationResponseDto {}

@ApiSchema({ name: 'CreatePasswordAuthResponse' })
export class CreatePasswordAuthResponseDto extends AuthorizationResponseDto {}

@ApiSchema({ name: 'VerifyAuthorizationResponse' })
export class VerifyAuthorizationResponseDto extends AuthorizationResponseDto {}

function toAuthorizationVi(a: Authorization): AuthorizationViDto {
  return {
    name: a.name,
    repo_type: a.repoType,
    repo_host: a.repoHost,
    repo_home: a.repoHome,
    repo_user: a.repoUser,
    avartar: a.avatar,
    token_type: a.tokenType,
    create_time: a.createdAt.getTime(),
    update_time: a.updatedAt.getTime(),
    status: a.status,
  };
}

function toAuthorizationVo(a: AuthorizationSummary): AuthorizationVoDto {
  return {
    name: a.name,
    repo_type: a.repoType,
    repo_host: a.repoHost,
    repo_home: a.repoHome,
    repo_user: a.repoUser,
    avartar: a.avatar,
    token_type: a.tokenType,
    create_time: a.createTime,
    update_time: a.updateTime,
    status: a.status,
    tag: a.tag,
  };
}

export function toAuthorizationList(list: readonly AuthorizationSummary[]): AuthorizationListDto {
  return { authorizations: list.map(toAuthorizationVo), count: list.length };
}

export function toAuthorizationResponse(a: Authorization): AuthorizationResponseDto {
  return { authorization: toAuthorizationVi(a) };
}
