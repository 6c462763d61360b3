import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileBundle, recordCodeCache, runBundle } from './run-bundle';

/**
 * A bundle in miniature: CommonJS exporting start() and loadModules() as src/start.ts does, each leaving a file
 * behind (the bundle runs in Node's main context, not Jest's, so files are how it reports back).
 */
function bundleSource(extra = ''): string {
  return `'use strict';
const { writeFileSync } = require('node:fs');
const { twice } = require('./helper.js');
const report = (what) => writeFileSync(require('node:path').join(__dirname, what),
  JSON.stringify({ filename: __filename, dirname: __dirname, twice: twice(21), exportsIsThis: this === module.exports }));
exports.start = () => report('started');
exports.loadModules = () => report('loaded');
${extra}`;
}

describe('run-bundle', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  const read = (what: string) =>
    JSON.parse(readFileSync(join(dir, what), 'utf8')) as Record<string, unknown>;
  const exists = (what: string) => {
    try {
      readFileSync(join(dir, what));
      return true;
    } catch {
      return false;
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'run-bundle-'));
    bundle = join(dir, 'main.bundle.js');
    cache = join(dir, 'main.bundle.js.0123.cache');
    writeFileSync(bundle, bundleSource());
    writeFileSync(join(dir, 'helper.js'), 'exports.twice = (n) => n * 2;');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records the code cache after loading the modules, without starting', () => {
    expect(recordCodeCache(bundle, cache)).toBeGreaterThan(0);
    expect(readFileSync(cache).length).toBeGreaterThan(0);
    expect(read('loaded')).toEqual({
      filename: bundle,
      dirname: dir,
      twice: 42,
      exportsIsThis: true,
    });
    expect(exists('started')).toBe(false);
  });

  it('starts the bundle with the cache it recorded, as Node runs a CommonJS file', () => {
    recordCodeCache(bundle, cache);
    expect(runBundle(bundle, cache)).toBe('accepted');
    expect(read('started')).toEqual({
      filename: bundle,
      dirname: dir,
      twice: 42,
      exportsIsThis: true,
    });
  });

  it('starts without a cache when there is none', () => {
    expect(runBundle(bundle, cache)).toBe('absent');
    expect(exists('started')).toBe(true);
  });

  it('compiles from scratch when the cache was recorded for another source', () => {
    recordCodeCache(bundle, cache);
    writeFileSync(bundle, bundleSource('exports.more = 1;'));
    expect(runBundle(bundle, cache)).toBe('rejected');
    expect(exists('started')).toBe(true);
  });

  it('compiles from scratch when the cache is damaged', () => {
    writeFileSync(cache, Buffer.alloc(4096, 1));
    expect(compileBundle(bundle, cache).codeCache).toBe('rejected');
  });

  it("with --enable-source-maps, runs the bundle through Node's loader so that stack traces name the sources", () => {
    writeFileSync(
      join(dir, 'source.js'),
      `function boom() {\n  throw new Error('boom');\n}\nexports.start = () => { try { boom(); } catch (e) { console.log(e.stack.split('\\n')[1]); } };\nexports.loadModules = () => {};\n`,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('esbuild') as typeof import('esbuild')).buildSync({
      entryPoints: [join(dir, 'source.js')],
      outfile: bundle,
      allowOverwrite: true,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      sourcemap: 'linked',
      banner: { js: '// moves every line down\n//' },
    });
    // The runner as plain JavaScript: ts-node would install its own stack-trace mapping in the child.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof import('typescript');
    const runner = join(dir, 'run-bundle.js');
    writeFileSync(
      runner,
      ts.transpileModule(readFileSync(join(__dirname, 'run-bundle.ts'), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText,
    );
    const call = `require(${JSON.stringify(runner)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)})`;
    const frame = (flags: string[]) =>
      spawnSync(process.execPath, [...flags, '-e', call], { encoding: 'utf8' }).stdout.trim();
    expect(frame(['--enable-source-maps'])).toContain(`${join(dir, 'source.js')}:2:`);
    expect(frame([])).toContain(`${bundle}:`);
  });

  it('fails loudly when the bundle is missing', () => {
    rmSync(bundle);
    expect(() => runBundle(bundle, cache)).toThrow(/ENOENT/);
  });
});
