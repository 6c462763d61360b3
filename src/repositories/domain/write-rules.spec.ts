import { messageOf, thrown } from '../../../test/support/thrown';
import { AppError } from '../../common/errors/app-error';
import { checkHookUrl } from './hook-url';
import { BLOB_SHA, checkTagName, decodeContent, MESSAGE_CHARS, PROJECT_NAME } from './write-rules';

const keyOf = (work: () => unknown) => (thrown(work) as AppError).key;

describe('decodeContent', () => {
  it('decodes standard base64 byte-exactly, whitespace and line breaks ignored', () => {
    const bytes = Buffer.from([0, 255, 128, 10, 13, 1, 2, 3, 250]);
    const wrapped = (bytes.toString('base64').match(/.{1,4}/g) ?? []).join('\r\n ');
    expect(decodeContent('content', wrapped).equals(bytes)).toBe(true);
    expect(decodeContent('content', '')).toEqual(Buffer.alloc(0));
  });

  it.each([
    ['the URL-safe alphabet', 'ab-_'],
    ['missing padding', 'QQ'],
    ['a character outside the alphabet', 'QQ=!'],
    ['padding in the middle', 'QQ==QQ=='],
    ['non-canonical trailing bits', 'QR=='],
  ])('refuses %s with 0400', (_case, value) => {
    expect(keyOf(() => decodeContent('content', value))).toBe('INVALID_PARAMETER');
    expect(messageOf(() => decodeContent('content', value))).toMatch(/content/);
  });
});

describe('checkHookUrl', () => {
  const local = new Set(['localhost']);

  it('accepts https, and http for the allowed hosts only', () => {
    expect(checkHookUrl('https://ci.example.com/hook?x=1', local)).toBe(
      'https://ci.example.com/hook?x=1',
    );
    expect(checkHookUrl('http://localhost:8080/hook', local)).toBe('http://localhost:8080/hook');
    expect(messageOf(() => checkHookUrl('http://ci.example.com/hook', local))).toMatch(
      /REPO_HOOK_HTTP_HOSTS/,
    );
  });

  it.each([
    ['user info', 'https://user:pass@ci.example.com/hook'],
    ['a user name alone', 'https://token@ci.example.com/hook'],
    ['another scheme', 'ftp://ci.example.com/hook'],
    ['a relative URL', '/hook'],
    ['a line break the parser would drop', 'https://ci.example.com/ho\nok'],
    ['more than 2,000 characters', `https://ci.example.com/${'a'.repeat(2000)}`],
  ])('refuses %s with 0400', (_case, url) => {
    expect(keyOf(() => checkHookUrl(url, local))).toBe('INVALID_PARAMETER');
  });
});

describe('the other write rules', () => {
  it('project names: 1-100 of [A-Za-z0-9._-], not "." or ".."', () => {
    for (const ok of ['demo', 'my.app_2-x', 'a'.repeat(100), '...'])
      expect(PROJECT_NAME.pattern.test(ok)).toBe(true);
    for (const bad of ['', '.', '..', 'a b', 'a/b', 'a'.repeat(101), 'ä'])
      expect(PROJECT_NAME.pattern.test(bad)).toBe(false);
  });

  it('tag names are git ref names', () => {
    expect(checkTagName('name', 'release/1.0')).toBe('release/1.0');
    for (const bad of ['a b', 'v1..2', 'x.lock', 'a~1'])
      expect(keyOf(() => checkTagName('name', bad))).toBe('INVALID_PARAMETER');
  });

  it('messages keep tabs and line breaks, not other control characters', () => {
    expect(MESSAGE_CHARS.pattern.test('Title\n\n\tbody\r\n')).toBe(true);
    expect(MESSAGE_CHARS.pattern.test('a\u0000b')).toBe(false);
    expect(MESSAGE_CHARS.pattern.test('a\u001bb')).toBe(false);
  });

  it('blob SHAs: 40 or 64 hex digits', () => {
    expect(BLOB_SHA.pattern.test('17f58c78fe1a44dbbda7ebb7e19205656ecbfbe6')).toBe(true);
    expect(BLOB_SHA.pattern.test('a'.repeat(64))).toBe(true);
    expect(BLOB_SHA.pattern.test('17f58c7')).toBe(false);
  });
});
