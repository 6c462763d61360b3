/** The generated client's query compiler, as the base64 text module it imports (`compilerBuild` fast or small). */
const QUERY_COMPILER_TEXT =
  /[\\/]@prisma[\\/]client[\\/]runtime[\\/]query_compiler_\w+_bg\.\w+\.wasm-base64\.js$/;

/**
 * Prisma's generated client imports its WebAssembly query compiler as a JavaScript module holding it in base64
 * (2.3 MB for the `small` build generated here, 4.6 MB for `fast`), decodes and compiles it once per process on
 * `$connect` and keeps the compiled module. The text stays in require's cache — twice on the heap: the file's
 * source and the string — though nothing reads it again. Dropping the cache entry after the first connect lets
 * the next full garbage collection take it; should the client ever load the compiler again, it reads the file
 * anew.
 */
export function releaseQueryCompilerText(cache: NodeJS.Dict<NodeModule> = require.cache): number {
  let released = 0;
  for (const file of Object.keys(cache)) {
    if (!QUERY_COMPILER_TEXT.test(file)) continue;
    delete cache[file];
    released++;
  }
  return released;
}
