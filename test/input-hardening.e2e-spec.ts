import { expectError } from './support/errors';
import { startStack, type Stack } from './support/stack';

const BASE = '/v1/0123456789abcdef0123456789abcdef/git/auths';

describe('hostile input: bounded before validation, never a 500', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(() => stack?.stop());

  const post = (path: string, rawBody: string) =>
    stack.t.request('POST', `${BASE}/${path}`, {
      rawBody,
      headers: { 'content-type': 'application/json' },
    });

  it.each([
    ['2.8 KB of [', '['.repeat(2800)],
    ['deeply nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['deeply nested objects', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`],
    ['a nested field', `{"name":"abcd","token":${'['.repeat(100)}${']'.repeat(100)}}`],
  ])('%s: 400 0400', async (_case, body) => {
    expectError(await post('github/personal', body), 'INVALID_PARAMETER');
  });

  it('a huge array: 400 0400', async () => {
    expectError(
      await post('github/personal', JSON.stringify({ name: 'abcd', token: Array(20000).fill(0) })),
      'INVALID_PARAMETER',
    );
  });

  it.each([
    ['host', { name: 'null-host', token: 'tok', host: null }, /host must be a string/],
    ['token', { name: 'null-token', token: null }, /token is required/],
    ['name', { name: null, token: 'tok' }, /name is required/],
  ])('null where a string is expected (%s): 400 0400', async (_field, body, message) => {
    expectError(await post('github/personal', JSON.stringify(body)), 'INVALID_PARAMETER', message);
  });

  it.each([
    ['NUL', 'ghp_abc\u0000def'],
    ['CR/LF', 'ghp_abc\r\nX-Injected: 1'],
    ['a character above U+00FF', 'ghp_abc\u2028def'],
    ['an emoji', 'ghp_abc😀'],
    ['a space', 'ghp abc'],
  ])('a token with %s: 400 0400, not a provider error', async (_case, token) => {
    expectError(
      await post('gitlab/personal', JSON.stringify({ name: 'bad-token', token })),
      'INVALID_PARAMETER',
      /token/,
    );
  });

  it.each([
    ['user', { name: 'bad-user', user: 'jdoe\u0000', password: 'pw' }, /user/],
    ['password', { name: 'bad-pass', user: 'jdoe', password: 'pw\nX: 1' }, /password/],
    ['password', { name: 'bad-pass', user: 'jdoe', password: 'pw\u0100' }, /password/],
  ])('a %s with header-unsafe characters: 400 0400', async (_field, body, message) => {
    expectError(
      await post('bitbucket/password', JSON.stringify(body)),
      'INVALID_PARAMETER',
      message,
    );
  });

  it.each([
    ['code', { name: 'bad-code', code: 'abc\u0000', state: 's' }, /code/],
    ['state', { name: 'bad-state', code: 'abc', state: 's\r\n' }, /state/],
  ])('an OAuth %s with control characters: 400 0400', async (_field, body, message) => {
    expectError(await post('github/oauth', JSON.stringify(body)), 'INVALID_PARAMETER', message);
  });

  it('a password with spaces and Latin-1 letters is still accepted as input', async () => {
    // Reaches the provider (which refuses it): validation let it through.
    const res = await post(
      'bitbucket/password',
      JSON.stringify({ name: 'latin-pass', user: 'jdoe', password: 'pâss wörd' }),
    );
    expectError(res, 'AUTHORIZATION_INVALID');
  });
});
