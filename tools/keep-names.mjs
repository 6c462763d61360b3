// @ts-check
/**
 * esbuild's keepNames at a cost paid once, not per call. With keepNames, esbuild wraps every named function and
 * class it emits in `__name(fn, "name")`, inner functions included, and its helper always redefines the `name`
 * property: a closure created per request (Fastify's, pino's, undici's) then pays a defineProperty, which measured
 * 50 % more CPU for GET /health. Most of these calls change nothing; this removes those, in place:
 * - `__name(f, "f");` after a function declaration esbuild did not rename: an empty statement;
 * - `__name(<anonymous function or class>, "f")` where JavaScript itself names the value "f" (`var f = …`,
 *   `{ f: … }`, `f = …`, a default `f = …`, a class field `f = …`): becomes `(<function>)`, which JavaScript names
 *   "f" the same way.
 * What is left (names esbuild did change: `class _X` back to `X`) goes through a helper that redefines a name only
 * when it differs. Edits keep every line and column where it was (but on the helper's own line), so the source map
 * stays exact.
 */
import { parse } from 'acorn';
import { ancestor } from 'acorn-walk';

const ESBUILD_HELPER =
  'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
const SAME_NAME_HELPER =
  'var __name = (target, value) => target.name === value ? target : __defProp(target, "name", { value, configurable: true });';

/** @param {any} node */
const isAnonymousDefinition = (node) =>
  node.type === 'ArrowFunctionExpression' ||
  ((node.type === 'FunctionExpression' || node.type === 'ClassExpression') && node.id === null);

/** @param {any} key @param {boolean} computed */
const keyIs = (key, computed, name) =>
  !computed &&
  ((key.type === 'Identifier' && key.name === name) ||
    (key.type === 'Literal' && key.value === name));

/**
 * Whether JavaScript gives an anonymous function in `call`'s place the name `name` by itself (the spec's
 * NamedEvaluation; a parenthesised function keeps it).
 * @param {any} parent @param {any} call @param {string} name
 */
function namedInPlace(parent, call, name) {
  switch (parent.type) {
    case 'VariableDeclarator':
      return parent.init === call && parent.id.type === 'Identifier' && parent.id.name === name;
    case 'AssignmentExpression':
      return (
        parent.operator === '=' &&
        parent.right === call &&
        parent.left.type === 'Identifier' &&
        parent.left.name === name
      );
    case 'AssignmentPattern':
      return (
        parent.right === call && parent.left.type === 'Identifier' && parent.left.name === name
      );
    case 'Property':
      return (
        parent.value === call &&
        parent.kind === 'init' &&
        !parent.method &&
        !parent.shorthand &&
        keyIs(parent.key, parent.computed, name)
      );
    case 'PropertyDefinition':
      return parent.value === call && keyIs(parent.key, parent.computed, name);
    default:
      return false;
  }
}

/** `text`'s [start, end) as spaces (line breaks kept), with `mark` as its first character, or its last. */
function padded(text, start, end, mark, atEnd = false) {
  const blank = text.slice(start, end).replace(/[^\n]/g, ' ');
  return atEnd ? blank.slice(0, blank.length - 1) + mark : mark + blank.slice(1);
}

/**
 * @param {string} code the bundle esbuild wrote with keepNames
 * @returns {{ code: string, removed: number, left: number }} the bundle, how many calls were removed, how many left
 */
export function cheapKeepNames(code) {
  if (code.split(ESBUILD_HELPER).length !== 2)
    throw new Error("esbuild's __name helper is not the one tools/keep-names.mjs knows");
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  /** @type {{ start: number, end: number, text: string }[]} */
  const edits = [];
  let removed = 0;
  let left = 0;
  ancestor(ast, {
    CallExpression(node, _state, ancestors) {
      const call = /** @type {any} */ (node);
      if (call.callee.type !== 'Identifier' || call.callee.name !== '__name') return;
      const [target, literal] = call.arguments;
      if (call.arguments.length !== 2 || literal.type !== 'Literal') return;
      const name = literal.value;
      const parent = /** @type {any} */ (ancestors[ancestors.length - 2]);
      if (
        parent.type === 'ExpressionStatement' &&
        target.type === 'Identifier' &&
        target.name === name
      ) {
        edits.push({
          start: parent.start,
          end: parent.end,
          // An empty statement, valid wherever the call statement was (an unbraced `if` body included).
          text: padded(code, parent.start, parent.end, ';'),
        });
        removed += 1;
      } else if (isAnonymousDefinition(target) && namedInPlace(parent, call, name)) {
        edits.push({
          start: call.start,
          end: target.start,
          text: padded(code, call.start, target.start, '('),
        });
        edits.push({
          start: target.end,
          end: call.end,
          text: padded(code, target.end, call.end, ')', true),
        });
        removed += 1;
      } else {
        left += 1;
      }
    },
  });
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  out += code.slice(at);
  if (out.length !== code.length) throw new Error('keep-names: an edit changed the length');
  return { code: out.replace(ESBUILD_HELPER, SAME_NAME_HELPER), removed, left };
}
