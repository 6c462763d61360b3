import { messageOf, thrown } from '../../../test/support/thrown';
import { AppError } from '../../common/errors/app-error';
import { parsePathParam, projectRef } from './repo-path';

describe('parsePathParam', () => {
  it('turns every ":" into "/", as the SDK writes paths', () => {
    expect(parsePathParam('path', 'src:main:App.java')).toBe('src/main/App.java');
    expect(parsePathParam('path', 'README.md')).toBe('README.md');
  });

  it('keeps a "/" that arrived percent-encoded (the router decoded it)', () => {
    expect(parsePathParam('path', 'src/main/App.java')).toBe('src/main/App.java');
  });

  it('accepts 1,024 characters, not one more', () => {
    expect(parsePathParam('path', 'a'.repeat(1024))).toHaveLength(1024);
    expect(messageOf(() => parsePathParam('path', 'a'.repeat(1025)))).toMatch(/1024/);
  });

  it.each([
    ['a ".." segment', 'src:..:etc'],
    ['a "." segment', '.:src'],
    ['an empty segment', 'src::main'],
    ['a leading separator', ':src'],
    ['a trailing separator', 'src:'],
    ['a NUL', 'src\u0000main'],
    ['nothing', ''],
    ['a non-string', ['a', 'b']],
  ])('refuses %s with 0400, naming the field', (_case, value) => {
    const error = thrown(() => parsePathParam('namespace', value));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).key).toBe('INVALID_PARAMETER');
    expect((error as AppError).message).toMatch(/namespace/);
  });
});

describe('projectRef', () => {
  it('a namespace and a project path', () => {
    expect(projectRef('octocat', 'hello-world')).toEqual({
      namespace: 'octocat',
      project: 'hello-world',
    });
    expect(projectRef('acme:platform', 'api')).toEqual({
      namespace: 'acme/platform',
      project: 'api',
    });
  });

  it('a full path in {project}: the path decides, {namespace} must be it or a prefix of it', () => {
    expect(projectRef('acme', 'acme:platform:api')).toEqual({
      namespace: 'acme/platform',
      project: 'api',
    });
    expect(projectRef('acme:platform', 'acme:platform:api')).toEqual({
      namespace: 'acme/platform',
      project: 'api',
    });
    expect(messageOf(() => projectRef('acm', 'acme:platform:api'))).toMatch(/not in namespace/);
    expect(messageOf(() => projectRef('other', 'acme:api'))).toMatch(/not in namespace/);
  });
});
