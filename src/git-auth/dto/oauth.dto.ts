import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE } from '../domain/names';

// class-validator checks a property's decorators bottom-up and stops at the first failure: presence, then
// type, then format, so each error names the first thing wrong.

export class RedirectUrlDto {
  @ApiProperty({
    description:
      "The provider's authorize URL to send the user to; its `state` works once and expires",
    example:
      'https://github.com/login/oauth/authorize?client_id=Iv1.8a61f9b3a7aba766&redirect_uri=https%3A%2F%2Fconsole.example.com%2Fservicestage%2Foauth%3Frepo_type%3Dgithub&scope=read%3Auser+repo+write%3Arepo_hook&state=bW9ja1N0YXRlVmFsdWVGb3JEb2NzT25seTEyMzQ1Njc&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
  })
  url!: string;
}

export class CreateOAuthDto {
  @ApiProperty({
    description: `Authorization name; ${AUTHORIZATION_NAME_RULE}`,
    example: 'my-github',
  })
  @Matches(AUTHORIZATION_NAME_PATTERN, { message: AUTHORIZATION_NAME_RULE })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'name is required' })
  name!: string;

  @ApiProperty({
    description: "The `code` parameter of the provider's redirect",
    example: '04bed2df009f3fc9abcd',
  })
  @MinLength(1, { message: 'code must not be empty' })
  @MaxLength(1024, { message: 'code must be at most 1024 characters' })
  @IsString({ message: 'code must be a string' })
  @IsDefined({ message: 'code is required' })
  code!: string;

  @ApiProperty({
    description:
      "The `state` parameter of the provider's redirect, as issued by the redirect operation",
    example: 'bW9ja1N0YXRlVmFsdWVGb3JEb2NzT25seTEyMzQ1Njc',
  })
  @MinLength(1, { message: 'state must not be empty' })
  @MaxLength(1024, { message: 'state must be at most 1024 characters' })
  @IsString({ message: 'state must be a string' })
  @IsDefined({ message: 'state is required' })
  state!: string;
}
