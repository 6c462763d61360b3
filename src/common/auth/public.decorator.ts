import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const IS_PUBLIC_KEY = 'auth:public';

/**
 * Lets a route (or every route of a controller) through without credentials, and says so in the OpenAPI
 * document: an empty security requirement overrides the document-wide one.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiSecurity({}));
