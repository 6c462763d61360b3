import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

/**
 * Prisma's schema engine (the migration engine behind `prisma migrate`), compiled to WebAssembly
 * (@prisma/schema-engine-wasm). Used instead of the native engine binary, which cannot be downloaded here.
 */
type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// @types/node 20 has no WebAssembly typings (only lib "dom" has them): declare the little used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
};

let bindings: Bindings | undefined;

/**
 * Loads and instantiates the engine once per process (or per Jest module registry).
 *
 * The package entry (`schema_engine.js`) does `import * as wasm from './schema_engine_bg.wasm'`
 * (bundler style), which Node cannot load. Its JS glue `schema_engine_bg.js` is plain ESM without
 * imports; Node >= 20.19 can `require()` it. Jest on Node < 24.9 cannot: its config must compile that file
 * to CJS (transform + transformIgnorePatterns for @prisma/schema-engine-wasm, see jest.config.js).
 */
export function loadSchemaEngine(): Bindings {
  if (bindings) return bindings;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const glue = require('@prisma/schema-engine-wasm/schema_engine_bg') as Bindings;
  // The .wasm file is not in the package's "exports": locate it next to the glue file.
  const wasmFile = path.join(
    path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
    'schema_engine_bg.wasm',
  );
  // On a Rust panic the glue calls `global.PRISMA_WASM_PANIC_REGISTRY.set_message(...)` (the Prisma CLI
  // installs it). Without it the panic becomes an uncaught TypeError that kills the process.
  const g = globalThis as {
    PRISMA_WASM_PANIC_REGISTRY?: { message: string; set_message(message: string): void };
  };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(message: string) {
      this.message = `RuntimeError: ${message}`;
    },
  };
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue)) {
    // The engine arms a 10 s timer (its advisory-lock timeout) and never clears it, which would keep
    // a CLI process alive for 10 s after the work is done. An unref'd timer still fires while the
    // process has other work, but no longer holds the event loop open.
    if (name.startsWith('__wbg_setTimeout_')) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), {
    './schema_engine_bg.js': imports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  bindings = glue;
  return glue;
}

/**
 * A driver-adapter factory for the schema engine on top of @prisma/adapter-pg that
 * - runs a migration script as ONE query (simple protocol: the statements run in one implicit
 *   transaction, like the native engine) instead of adapter-pg's `executeScript`, which splits on `;`
 *   (breaks `$$` bodies, string literals containing `;`, and is not atomic);
 * - remembers every adapter it opens so that `dispose()` closes them: the engine never disposes them,
 *   and the advisory lock it takes is released only when its connection closes.
 */
class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;
  private readonly opened: SqlDriverAdapter[] = [];

  constructor(private readonly inner: PrismaPg) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.track(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.track(await this.inner.connectToShadowDb());
  }

  async dispose(): Promise<void> {
    const adapters = this.opened.splice(0);
    await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
  }

  private track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    // No bind parameters -> node-postgres uses the simple query protocol, which accepts several statements.
    // Errors still go through adapter-pg's error mapping.
    adapter.executeScript = async (script: string) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    this.opened.push(adapter);
    return adapter;
  }
}

interface EngineSession {
  engine: SchemaEngine;
  /** Frees the engine and closes its connections (releasing the migration advisory lock). */
  close(): Promise<void>;
}

export type EngineLog = (line: string) => void;

/**
 * Starts a schema engine connected to `connectionString`.
 * `max: 1`: the engine takes a session-level advisory lock and never unlocks it explicitly (the native
 * engine relies on closing its single connection). With one connection, lock and migration run on the
 * same session, a second command on the same engine re-enters the lock instead of waiting for itself.
 */
export async function openSchemaEngine(
  connectionString: string,
  log: EngineLog = () => {},
  connectTimeoutMs?: number,
): Promise<EngineSession> {
  const { SchemaEngine } = loadSchemaEngine();
  const factory = new MigrationAdapterFactory(
    new PrismaPg({ connectionString, max: 1, connectionTimeoutMillis: connectTimeoutMs }),
  );
  let engine: SchemaEngine;
  try {
    // ConstructorOptions: { datamodels: [path, content][] | undefined } - initial schema files, unused here.
    engine = await SchemaEngine.new(
      { datamodels: undefined },
      log,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (error) {
    await factory.dispose();
    throw error;
  }
  return {
    engine,
    close: async () => {
      engine.free();
      await factory.dispose();
    },
  };
}
