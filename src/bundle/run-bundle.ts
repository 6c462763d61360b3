import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** What the bundle's entry (src/start.ts) exports. */
interface BundleEntry {
  start(): void;
  loadModules(): void;
}

export type CodeCacheState = 'accepted' | 'rejected' | 'absent';

export interface CompiledBundle {
  readonly script: Script;
  readonly codeCache: CodeCacheState;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Compiles the bundled service as Node compiles a CommonJS file (the same wrapper, so `require`, `module` and
 * `__dirname` mean what they mean there), with V8's code cache when there is one. V8 refuses a cache recorded
 * by another V8 version, with other flags or for a source of another length, and then compiles from scratch; it
 * does not compare the text itself, so the build names each cache after the bundle's hash (tools/bundle-main.mjs).
 */
export function compileBundle(bundleFile: string, cacheFile?: string): CompiledBundle {
  const source = readFileSync(bundleFile, 'utf8');
  const cachedData = cacheFile === undefined ? undefined : readIfPresent(cacheFile);
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    // No import() callback: one recorded with the cache is lost in another process, so the bundle has no import().
    { filename: bundleFile, cachedData },
  );
  const codeCache =
    cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { script, codeCache };
}

function evaluate(bundleFile: string, { script }: CompiledBundle): BundleEntry {
  const module = new Module(bundleFile);
  module.filename = bundleFile;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(bundleFile),
    module,
    bundleFile,
    dirname(bundleFile),
  );
  return module.exports as BundleEntry;
}

/**
 * Starts the service from its bundle (dist/main.js does this after `npm run build`). Reading and compiling one
 * file with its code cache, instead of resolving, reading and compiling some 1,400 modules, is most of what
 * makes the start fast (README "Benchmark").
 */
export function runBundle(bundleFile: string, cacheFile: string): CodeCacheState | 'source-maps' {
  // Node maps stack traces through a source map only for files its own loader compiled.
  if (process.sourceMapsEnabled) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(bundleFile) as BundleEntry).start();
    return 'source-maps';
  }
  const compiled = compileBundle(bundleFile, cacheFile);
  evaluate(bundleFile, compiled).start();
  return compiled.codeCache;
}

/**
 * The build's step: compiles the bundle without a cache, loads every module a start loads (their code is
 * compiled as it runs), then writes V8's code cache of all of it. Returns its size in bytes.
 */
export function recordCodeCache(bundleFile: string, cacheFile: string): number {
  const compiled = compileBundle(bundleFile);
  evaluate(bundleFile, compiled).loadModules();
  const data = compiled.script.createCachedData();
  writeFileSync(cacheFile, data);
  return data.length;
}
