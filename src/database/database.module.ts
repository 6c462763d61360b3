import { Global, Module } from '@nestjs/common';
import { databaseConfig, type DatabaseConfig } from '../config/database.config';
import { DatabaseConnection } from './database-connection';
import { DatabaseOutage } from './database-outage';
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
    DatabaseOutage,
    PrismaService,
  ],
  exports: [PrismaService, DatabaseConnection, DatabaseOutage],
})
export class DatabaseModule {}
