import { Module } from '@nestjs/common';
import { GitAuthController } from './git-auth.controller';
import { GitAuthService } from './git-auth.service';
import { AuthorizationRepository } from './persistence/authorization.repository';
import { PrismaAuthorizationRepository } from './persistence/prisma-authorization.repository';

@Module({
  controllers: [GitAuthController],
  providers: [
    GitAuthService,
    { provide: AuthorizationRepository, useClass: PrismaAuthorizationRepository },
  ],
})
export class GitAuthModule {}
