/**
 * Writes Prisma migrations without Prisma's native engine (the equivalent of `prisma migrate diff` /
 * `prisma migrate dev --create-only`), by diffing two Prisma schemas with @prisma/schema-engine-wasm.
 *
 *   npm run db:diff -- --from-empty                # print the SQL of the whole schema
 *   npm run db:diff -- --from-git HEAD              # print the SQL since the committed schema
 *   npm run db:diff -- --from-git HEAD --name add_tag   # write prisma/migrations/<ts>_add_tag/migration.sql
 * Options: --to <schema file or folder> (default prisma/schema.prisma), --migrations <dir> (default prisma/migrations),
 *          --url <postgres url> (ask a real server for its version instead of assuming PostgreSQL 15; nothing else is queried).
 *
 * No database is needed: the engine's constructor runs one version probe, which is answered here; a diff between
 * two datamodels issues no other query (any other query fails loudly).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { DiffTarget, SchemaContainer, SchemaEngine } from '@prisma/schema-engine-wasm';
import { loadSchemaEngine, openSchemaEngine } from './schema-engine';

/** The PostgreSQL version the SQL is generated for when no --url is given (production runs PostgreSQL 15). */
const ASSUMED_SERVER = { version: 'PostgreSQL 15.0', numericVersion: 150000 };

function offlineAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  const refuse = (what: string) => (): Promise<never> =>
    Promise.reject(
      new Error(`db:diff works without a database, but the schema engine tried: ${what}`),
    );
  const adapter: SqlDriverAdapter = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      // SchemaEngine.new() probes: SELECT EXISTS(... pg_namespace ...), version(), current_setting('server_version_num')::integer
      if (query.sql.startsWith('SELECT EXISTS(SELECT 1 FROM pg_namespace')) {
        return Promise.resolve({
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, ASSUMED_SERVER.version, ASSUMED_SERVER.numericVersion]],
        });
      }
      return refuse(query.sql)();
    },
    executeRaw: refuse('executeRaw'),
    executeScript: refuse('executeScript'),
    startTransaction: refuse('startTransaction'),
    dispose: () => Promise.resolve(),
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => Promise.resolve(adapter),
    connectToShadowDb: refuse('connectToShadowDb'),
  };
}

async function withEngine<T>(
  url: string | undefined,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  if (url) {
    const session = await openSchemaEngine(url);
    try {
      return await work(session.engine);
    } finally {
      await session.close();
    }
  }
  const { SchemaEngine } = loadSchemaEngine();
  const engine = await SchemaEngine.new(
    { datamodels: undefined },
    () => {},
    bindMigrationAwareSqlAdapterFactory(offlineAdapterFactory()),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

/** A schema file, or a folder of *.prisma files (multi-file schema). */
async function readSchemaFiles(schemaPath: string): Promise<SchemaContainer[]> {
  if ((await stat(schemaPath)).isDirectory()) {
    const names = (await readdir(schemaPath)).filter((n) => n.endsWith('.prisma')).sort();
    return Promise.all(
      names.map(async (n) => ({
        path: path.join(schemaPath, n),
        content: await readFile(path.join(schemaPath, n), 'utf8'),
      })),
    );
  }
  return [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
}

/** SQL taking a database from `from` to the schema in `toFiles` ('' when nothing changes). */
async function diffSchemas(
  from: DiffTarget,
  toFiles: SchemaContainer[],
  url?: string,
): Promise<string> {
  return withEngine(url, async (engine) => {
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: toFiles },
      script: true,
      exitCode: true, // exitCode 2 = non-empty diff
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}

function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS, UTC, like Prisma
}

/** Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` (+ migration_lock.toml if missing), as Prisma does. */
async function writeMigration(migrationsDir: string, name: string, sql: string): Promise<string> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!slug) throw new Error(`invalid migration name: ${name}`);
  const dir = path.join(migrationsDir, `${timestamp()}_${slug}`);
  if (existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
  await mkdir(dir, { recursive: true });
  // The public schema always exists, and CREATE SCHEMA needs a privilege a migration role may lack.
  const body = sql
    .replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/m, '')
    .replace(/\n*$/, '\n');
  await writeFile(path.join(dir, 'migration.sql'), body, 'utf8');
  const lockfile = path.join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockfile)) {
    await writeFile(
      lockfile,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
      'utf8',
    );
  }
  return dir;
}

function parseArgs(argv: string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--')) throw new Error(`unexpected argument ${key}`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(key.slice(2), next);
      i++;
    } else {
      args.set(key.slice(2), true);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const str = (key: string): string | undefined => {
    const v = args.get(key);
    if (v === true) throw new Error(`--${key} needs a value`);
    return v;
  };
  const toPath = str('to') ?? path.join('prisma', 'schema.prisma');
  const fromFile = str('from');
  const fromGit = str('from-git');
  let from: DiffTarget;
  if (args.has('from-empty')) {
    from = { tag: 'empty' };
  } else if (fromFile) {
    from = { tag: 'schemaDatamodel', files: await readSchemaFiles(fromFile) };
  } else if (fromGit) {
    const content = execFileSync('git', ['show', `${fromGit}:${toPath}`], { encoding: 'utf8' });
    from = { tag: 'schemaDatamodel', files: [{ path: toPath, content }] };
  } else {
    throw new Error(
      'say what to diff from: --from-empty | --from <schema file> | --from-git <rev>',
    );
  }
  const sql = await diffSchemas(from, await readSchemaFiles(toPath), str('url'));
  const name = str('name');
  if (!sql) {
    console.error('No schema changes.');
    return;
  }
  if (name) {
    const dir = await writeMigration(
      str('migrations') ?? path.join('prisma', 'migrations'),
      name,
      sql,
    );
    console.error(`Wrote ${path.join(dir, 'migration.sql')}`);
  } else {
    process.stdout.write(sql);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
