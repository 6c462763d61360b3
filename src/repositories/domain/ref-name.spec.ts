import { isValidRefName } from './ref-name';

describe('isValidRefName', () => {
  it.each([
    'main',
    'release/1.0',
    'v1.0.0',
    'feature/a-b_c',
    '6dcb09b5b57875f334f61aebed695e2e4193db5e',
  ])('accepts %s', (ref) => expect(isValidRefName(ref)).toBe(true));

  it.each([
    ['empty', ''],
    ['a space', 'a b'],
    ['".."', 'main..dev'],
    ['"~"', 'main~1'],
    ['"^"', 'main^'],
    ['":"', 'a:b'],
    ['"?"', 'a?'],
    ['"*"', 'a*'],
    ['"["', 'a[b'],
    ['a backslash', 'a\\b'],
    ['"@{"', 'main@{1}'],
    ['"//"', 'a//b'],
    ['a leading "-"', '-rf'],
    ['a leading "/"', '/main'],
    ['a trailing "/"', 'main/'],
    ['a trailing "."', 'main.'],
    ['".lock"', 'main.lock'],
    ['a component starting with "."', 'a/.b'],
    ['"@" alone', '@'],
    ['a control character', 'a\u0001b'],
    ['more than 255 characters', 'a'.repeat(256)],
  ])('refuses %s', (_case, ref) => expect(isValidRefName(ref)).toBe(false));
});
