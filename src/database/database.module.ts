import { Global, Module } from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from '../config/database.config';
import { DatabaseConnection } from './database-connection';
import { openDatabase } from './open-database';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [
    {
      provide: DatabaseConnection,
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => openDatabase(config),
    },
    PrismaService,
  ],
  exports: [PrismaService, DatabaseConnection],
})
export class DatabaseModule {}
