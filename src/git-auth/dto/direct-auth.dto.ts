import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuthorizationNameField, RequiredString } from './fields';

export class CreatePersonalAuthDto {
  @AuthorizationNameField('my-gitlab-token')
  name!: string;

  @RequiredString('token', {
    description:
      'Personal access token; checked against the provider before anything is stored, never returned',
    example: 'glpat-xxxxxxxxxxxxxxxxxxxx',
    maxLength: 4096,
  })
  token!: string;

  @ApiPropertyOptional({
    description:
      'Git server URL of a self-hosted server of the provider (e.g. GitHub Enterprise, self-managed GitLab); ' +
      'default the configured server. Must be https and on GIT_ALLOWED_HOSTS.',
    example: 'https://gitlab.example.com',
    maxLength: 2048,
  })
  // Stacked decorators register bottom-up: optional, then type, then length.
  @MaxLength(2048, { message: 'host must be at most 2048 characters' })
  @IsString({ message: 'host must be a string' })
  @IsOptional()
  host?: string;
}

export class CreatePasswordAuthDto {
  @AuthorizationNameField('my-bitbucket')
  name!: string;

  @RequiredString('user', {
    description: 'Username of the account (with Bitbucket API tokens: the account e-mail)',
    example: 'jdoe',
    maxLength: 255,
  })
  user!: string;

  @RequiredString('password', {
    description: 'App password or API token; never returned',
    example: 'ATBBxxxxxxxxxxxxxxxx',
    maxLength: 4096,
  })
  password!: string;
}
