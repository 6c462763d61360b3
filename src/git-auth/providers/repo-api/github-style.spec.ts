import { thrown } from '../../../../test/support/thrown';
import type { AppError } from '../../../common/errors/app-error';
import { readContents } from './github-style';

const MAX = 1000;
const file = (extra: Record<string, unknown>) => ({
  type: 'file',
  path: 'src/App.java',
  sha: 'abc',
  size: 12,
  encoding: 'base64',
  content: 'aGVsbG8g\nd29ybGQK\n',
  ...extra,
});

describe('readContents', () => {
  it('decodes base64 with line breaks', () => {
    const answer = readContents(file({}), 'src/App.java', MAX);
    expect(answer).toEqual({
      inline: true,
      file: { path: 'src/App.java', sha: 'abc', content: Buffer.from('hello world\n') },
    });
  });

  it('an empty file is inline too', () => {
    const answer = readContents(file({ size: 0, content: '' }), 'empty', MAX);
    expect(answer.inline && answer.file.content.length).toBe(0);
  });

  it('a file whose content is not inline (GitHub over 1 MB: encoding none) needs the raw route', () => {
    expect(readContents(file({ size: 900, encoding: 'none', content: '' }), 'x', MAX)).toEqual({
      inline: false,
      path: 'src/App.java',
      sha: 'abc',
    });
    expect(readContents(file({ encoding: null, content: null }), 'x', MAX).inline).toBe(false);
  });

  it.each([
    ['a directory (an array)', [{ type: 'file' }]],
    ['a dir object', { type: 'dir', sha: 'x' }],
    ['a submodule', { type: 'submodule', sha: 'x' }],
  ])('%s is 0400', (_case, json) => {
    expect((thrown(() => readContents(json, 'x', MAX)) as AppError).key).toBe('INVALID_PARAMETER');
  });

  it('a file over the limit is 0458 before its content is decoded', () => {
    expect((thrown(() => readContents(file({ size: MAX + 1 }), 'x', MAX)) as AppError).key).toBe(
      'FILE_TOO_LARGE',
    );
  });
});
