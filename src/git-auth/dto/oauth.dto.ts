import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AuthorizationNameField, RequiredString, TOKEN_CHARS } from './fields';

@ApiSchema({ name: 'ShowRedirectUrlResponse' })
export class RedirectUrlDto {
  @ApiProperty({
    description:
      "The provider's authorize URL to send the user to; its `state` works once and expires",
    example:
      'https://github.com/login/oauth/authorize?client_id=Iv1.8a61f9b3a7aba766&redirect_uri=https%3A%2F%2Fconsole.example.com%2Fservicestage%2Foauth%3Frepo_type%3Dgithub&scope=read%3Auser+repo+write%3Arepo_hook&state=bW9ja1N0YXRlVmFsdWVGb3JEb2NzT25seTEyMzQ1Njc&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
  })
  url!: string;
}

/** The SDK's `OAuth` model: the body of createOAuth. */
@ApiSchema({ name: 'OAuth' })
export class CreateOAuthDto {
  @AuthorizationNameField('my-github-oauth')
  name!: string;

  @RequiredString('code', {
    description:
      "The `code` parameter of the provider's redirect (the example is a placeholder: take the code the provider sent)",
    example: '04bed2df009f3fc9abcd',
    maxLength: 1024,
    charset: TOKEN_CHARS,
  })
  code!: string;

  @RequiredString('state', {
    description:
      "The `state` parameter of the provider's redirect, as issued by the redirect operation",
    example: 'bW9ja1N0YXRlVmFsdWVGb3JEb2NzT25seTEyMzQ1Njc',
    maxLength: 1024,
    charset: TOKEN_CHARS,
  })
  state!: string;
}
