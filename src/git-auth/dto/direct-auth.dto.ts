import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE } from '../domain/names';

// class-validator checks a property's decorators bottom-up and stops at the first failure: presence, then
// type, then format, so each error names the first thing wrong.

export class CreatePersonalAuthDto {
  @ApiProperty({
    description: `Authorization name; ${AUTHORIZATION_NAME_RULE}`,
    example: 'my-gitlab-token',
  })
  @Matches(AUTHORIZATION_NAME_PATTERN, { message: AUTHORIZATION_NAME_RULE })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'name is required' })
  name!: string;

  @ApiProperty({
    description:
      'Personal access token; checked against the provider before anything is stored, never returned',
    example: 'glpat-xxxxxxxxxxxxxxxxxxxx',
  })
  @MinLength(1, { message: 'token must not be empty' })
  @MaxLength(4096, { message: 'token must be at most 4096 characters' })
  @IsString({ message: 'token must be a string' })
  @IsDefined({ message: 'token is required' })
  token!: string;

  @ApiPropertyOptional({
    description:
      'Git server URL for a self-hosted server (GitHub Enterprise, self-managed GitLab, Gitee Enterprise); ' +
      'default the configured server. Must be https and on GIT_ALLOWED_HOSTS.',
    example: 'https://gitlab.example.com',
  })
  @IsOptional()
  @IsString({ message: 'host must be a string' })
  @MaxLength(2048, { message: 'host must be at most 2048 characters' })
  host?: string;
}

export class CreatePasswordAuthDto {
  @ApiProperty({
    description: `Authorization name; ${AUTHORIZATION_NAME_RULE}`,
    example: 'my-bitbucket',
  })
  @Matches(AUTHORIZATION_NAME_PATTERN, { message: AUTHORIZATION_NAME_RULE })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'name is required' })
  name!: string;

  @ApiProperty({
    description: 'Bitbucket username (or the account e-mail for API tokens)',
    example: 'jdoe',
  })
  @MinLength(1, { message: 'user must not be empty' })
  @MaxLength(255, { message: 'user must be at most 255 characters' })
  @IsString({ message: 'user must be a string' })
  @IsDefined({ message: 'user is required' })
  user!: string;

  @ApiProperty({
    description: 'App password or API token; never returned',
    example: 'ATBBxxxxxxxxxxxxxxxx',
  })
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(4096, { message: 'password must be at most 4096 characters' })
  @IsString({ message: 'password must be a string' })
  @IsDefined({ message: 'password is required' })
  password!: string;
}
