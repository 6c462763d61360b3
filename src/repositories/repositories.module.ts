import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit/audit.module';
import { GitAuthModule } from '../git-auth/git-auth.module';
import { FilesController } from './files.controller';
import { RepoAccess } from './repo-access';
import { repositoriesConfig } from './repositories.config';
import { ReposController } from './repos.controller';
import { RepositoryBrowser } from './repository-browser.service';
import { RepositoryWriter } from './repository-writer.service';

/** ServiceStage's repository operations (`/git/repos`, `/git/files`) through stored authorizations. */
@Module({
  imports: [ConfigModule.forFeature(repositoriesConfig), GitAuthModule, AuditModule],
  controllers: [ReposController, FilesController],
  providers: [RepoAccess, RepositoryBrowser, RepositoryWriter],
})
export class RepositoriesModule {}
