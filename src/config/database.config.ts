import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './project-root';
import { readEnv, ToBoolean, ToInteger } from './env';

class DatabaseEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  @ToBoolean()
  @IsBoolean()
  DB_MIGRATE_ON_START: boolean = true;

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_MAX: number = 10;

  @IsString()
  EMBEDDED_PG_DIR: string = '.data/postgres';

  /** Unset: the port used last time if still free, else any free port (remembered in the data folder). */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;
}

export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(DatabaseEnv, env);
  return {
    url: e.DATABASE_URL,
    migrateOnStart: e.DB_MIGRATE_ON_START,
    poolMax: e.DB_POOL_MAX,
    embedded: { dataDir: resolve(PROJECT_ROOT, e.EMBEDDED_PG_DIR), port: e.EMBEDDED_PG_PORT },
  };
}

export const databaseConfig = registerAs('database', () => loadDatabaseConfig());
export type DatabaseConfig = ReturnType<typeof loadDatabaseConfig>;
