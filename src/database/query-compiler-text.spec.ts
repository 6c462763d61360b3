import { releaseQueryCompilerText } from './query-compiler-text';

const loaded = {} as NodeModule;

describe('releaseQueryCompilerText', () => {
  it("drops only the query compiler's base64 text modules from the cache", () => {
    const runtime = '/app/node_modules/@prisma/client/runtime';
    const cache: NodeJS.Dict<NodeModule> = {
      [`${runtime}/query_compiler_small_bg.postgresql.wasm-base64.js`]: loaded,
      [`${runtime}/query_compiler_fast_bg.postgresql.wasm-base64.js`]: loaded,
      // The compiler's JavaScript glue is in use: it stays.
      [`${runtime}/query_compiler_small_bg.postgresql.js`]: loaded,
      [`${runtime}/client.js`]: loaded,
      '/app/dist/main.js': loaded,
    };
    expect(releaseQueryCompilerText(cache)).toBe(2);
    expect(Object.keys(cache)).toEqual([
      `${runtime}/query_compiler_small_bg.postgresql.js`,
      `${runtime}/client.js`,
      '/app/dist/main.js',
    ]);
    expect(releaseQueryCompilerText(cache)).toBe(0);
  });
});
