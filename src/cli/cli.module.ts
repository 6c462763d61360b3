import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { databaseConfig } from '../config/database.config';
import { DatabaseModule } from '../database/database.module';
import { AuthorizationStoreModule } from '../git-auth/authorization-store.module';

/**
 * What the command-line tools need: the database and the authorization store (repositories, sealing keys, key
 * rotation). No HTTP server, no caller authentication, no rate limiting, no provider strategies.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [databaseConfig] }),
    DatabaseModule,
    AuthorizationStoreModule,
  ],
})
export class CliModule {}
