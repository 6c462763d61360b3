import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const KEEP_NAMES = resolve(__dirname, '..', '..', 'tools', 'keep-names.mjs');

/**
 * tools/keep-names.mjs on a real esbuild bundle (in a Node process of its own: the tool is an ES module), then
 * the bundle run: every name JavaScript gives, as the unbundled code has them.
 */
describe('keep-names (the build step after esbuild)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keep-names-'));
    writeFileSync(
      join(dir, 'a.js'),
      `"use strict";
class Loader {
  constructor(n = Loader.name) { this.n = n; }
  static make() { return new Loader(); }
}
function outer() {
  function inner() {}
  const arrow = () => {};
  let assigned;
  assigned = function () {};
  const object = { prop: function () {}, 'quoted': () => {} };
  class Field { handler = () => {}; }
  const withDefault = (cb = () => {}) => cb.name;
  return [inner.name, arrow.name, assigned.name, object.prop.name, object.quoted.name,
    new Field().handler.name, withDefault(), (() => {}).name];
}
exports.Loader = Loader;
exports.outer = outer;
`,
    );
    writeFileSync(
      join(dir, 'entry.js'),
      `const { Loader, outer } = require('./a');
function inner() {}
module.exports = [Loader.name, Loader.make().n, inner.name, ...outer()];
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('removes the calls that change nothing, keeps every name and every position', () => {
    const script = `
      import { build } from 'esbuild';
      import { cheapKeepNames } from ${JSON.stringify(KEEP_NAMES)};
      const result = await build({ entryPoints: [${JSON.stringify(join(dir, 'entry.js'))}], bundle: true,
        platform: 'node', format: 'cjs', keepNames: true, write: false });
      const before = result.outputFiles[0].text;
      const { code, removed, left } = cheapKeepNames(before);
      // Every line keeps its length but the helper's own.
      const lines = (text) => text.split('\\n').map((line) => line.startsWith('var __name =') ? 0 : line.length);
      const module = { exports: {} };
      new Function('module', 'exports', 'require', code)(module, module.exports, () => { throw new Error('no require'); });
      // A call statement as an unbraced if's body (esbuild writes none) must not make the next line that body.
      const helper = before.split('\\n').find((line) => line.startsWith('var __name ='));
      const unbraced = cheapKeepNames(['var __defProp = Object.defineProperty;', helper, 'let ran = 0;',
        'function f() {}', 'if (false) __name(f, "f");', 'ran = 1;', 'module.exports = ran;'].join('\\n')).code;
      const probe = { exports: {} };
      new Function('module', unbraced)(probe);
      console.log(JSON.stringify({ names: module.exports, removed, left, unbracedIf: probe.exports,
        samePositions: JSON.stringify(lines(before)) === JSON.stringify(lines(code)),
        calls: (code.match(/__name\\(/g) ?? []).length }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: resolve(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as {
      names: string[];
      removed: number;
      left: number;
      samePositions: boolean;
      calls: number;
      unbracedIf: number;
    };
    expect(result.names).toEqual([
      'Loader',
      'Loader',
      'inner',
      'inner',
      'arrow',
      'assigned',
      'prop',
      'quoted',
      'handler',
      'cb',
      '',
    ]);
    // Removed: the top-level `inner` statement and the six functions JavaScript names in place.
    expect(result.removed).toBe(7);
    // Left: names esbuild changed (`inner2`, `outer2`) and the two classes' static blocks, run once per class.
    expect(result.left).toBe(4);
    expect(result.calls).toBe(result.left);
    expect(result.samePositions).toBe(true);
    expect(result.unbracedIf).toBe(1);
  });
});
