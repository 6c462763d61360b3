import { start } from './start';

/**
 * The entry tsc compiles. `npm run build` then bundles start.ts and all it loads into dist/main.bundle.js and
 * writes a dist/main.js that runs the bundle with V8's code cache (tools/bundle-main.mjs,
 * src/bundle/run-bundle.ts); `nest start --watch` and the tests run this file as it is.
 */
start();
