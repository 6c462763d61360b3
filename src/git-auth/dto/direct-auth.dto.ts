import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from '../../common/validation/class-validator';
import {
  EXAMPLE_AUTHORIZATION_NAME,
  SANDBOX_APP_PASSWORD,
  SANDBOX_LOGIN,
  SANDBOX_PERSONAL_TOKEN,
} from './examples';
import { AuthorizationNameField, HEADER_SAFE_CHARS, RequiredString, TOKEN_CHARS } from './fields';

/** The SDK's `AccessToken` model: the body of createPersonalAuth. */
@ApiSchema({ name: 'AccessToken' })
export class CreatePersonalAuthDto {
  @AuthorizationNameField(EXAMPLE_AUTHORIZATION_NAME)
  name!: string;

  @RequiredString('token', {
    description:
      'Personal access token; checked against the provider before anything is stored, never returned. ' +
      '(The example is the sandbox token of `npm run start:local`.)',
    example: SANDBOX_PERSONAL_TOKEN,
    maxLength: 4096,
    charset: TOKEN_CHARS,
  })
  token!: string;

  @ApiPropertyOptional({
    description:
      'Git server URL of a self-hosted server of the provider (e.g. GitHub Enterprise, self-managed GitLab); ' +
      'default the configured server. Must be https and on GIT_ALLOWED_HOSTS.',
    example: 'https://gitlab.example.com',
    maxLength: 2048,
  })
  // Stacked decorators register bottom-up: optional, then type, then length. Only an absent host is optional:
  // `null` is not a string (IsOptional would let it through to the service).
  @MaxLength(2048, { message: 'host must be at most 2048 characters' })
  @IsString({ message: 'host must be a string' })
  @ValidateIf((dto: CreatePersonalAuthDto) => dto.host !== undefined)
  host?: string;
}

/** The SDK's `AccessPassword` model: the body of createPasswordAuth. */
@ApiSchema({ name: 'AccessPassword' })
export class CreatePasswordAuthDto {
  @AuthorizationNameField('my-bitbucket')
  name!: string;

  @RequiredString('user', {
    description: 'Username of the account (with Bitbucket API tokens: the account e-mail)',
    example: SANDBOX_LOGIN,
    maxLength: 255,
    charset: HEADER_SAFE_CHARS,
  })
  user!: string;

  @RequiredString('password', {
    description:
      'App password or API token; never returned. (The example is the sandbox app password of `npm run start:local`.)',
    example: SANDBOX_APP_PASSWORD,
    maxLength: 4096,
    charset: HEADER_SAFE_CHARS,
  })
  password!: string;
}
