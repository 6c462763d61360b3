/**
 * Whether `ref` can name a branch, tag or commit: git's ref-name rules (`git check-ref-format`, which a SHA also
 * satisfies), at most 255 characters. Anything else cannot exist at any provider, and must not be smuggled into
 * the provider URLs built from it.
 */
export function isValidRefName(ref: string): boolean {
  return (
    ref.length > 0 &&
    ref.length <= 255 &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u0020\u007f~^:?*[\\]/.test(ref) &&
    !ref.includes('..') &&
    !ref.includes('@{') &&
    !ref.includes('//') &&
    !/^[-/.]|[/.]$|\.lock$|\/\./.test(ref) &&
    ref !== '@'
  );
}

export const REF_RULE =
  'ref must be a branch, tag or commit SHA (a valid git ref name of at most 255 characters)';
