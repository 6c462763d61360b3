import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { cryptoConfig } from '../config/crypto.config';
import { gitAuthConfig } from '../config/git-auth.config';
import { cryptoProviders } from './crypto/crypto.providers';
import { KeyRotation } from './crypto/key-rotation';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { OAuthStateRepository } from './persistence/oauth-state.repository';
import { PrismaAuthorizationRepository } from './persistence/prisma-authorization.repository';
import { PrismaOAuthStateRepository } from './persistence/prisma-oauth-state.repository';

/**
 * Where authorizations and OAuth states are kept and how their secrets are sealed: the repository ports with
 * their Prisma implementations, the sealing keys, and key rotation. Shared by the HTTP feature and the CLI.
 */
@Module({
  imports: [ConfigModule.forFeature(cryptoConfig), ConfigModule.forFeature(gitAuthConfig)],
  providers: [
    ...cryptoProviders,
    KeyRotation,
    { provide: AuthorizationRepository, useClass: PrismaAuthorizationRepository },
    { provide: OAuthStateRepository, useClass: PrismaOAuthStateRepository },
  ],
  exports: [...cryptoProviders, KeyRotation, AuthorizationRepository, OAuthStateRepository],
})
export class AuthorizationStoreModule {}
