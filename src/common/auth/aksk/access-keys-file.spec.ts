import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessKeysFileError, loadAccessKeysFile, parseAccessKeys } from './access-keys-file';
import { messageOf } from '../../../../test/support/thrown';

const PROJECT = '0123456789abcdef0123456789abcdef';
const SK = 'TESTSK0987654321abcdef';
const valid = { ak: 'TESTAK1234567890', sk: SK, project_ids: [PROJECT] };

describe('parseAccessKeys', () => {
  it('indexes the keys by AK, with their projects', () => {
    const keys = parseAccessKeys([
      valid,
      { ...valid, ak: 'OTHERAK', project_ids: ['p1', 'p2', 'p1'] },
    ]);
    expect([...keys.keys()]).toEqual(['TESTAK1234567890', 'OTHERAK']);
    expect(keys.get('TESTAK1234567890')).toEqual({
      ak: 'TESTAK1234567890',
      sk: SK,
      projectIds: [PROJECT],
    });
    expect(keys.get('OTHERAK')?.projectIds).toEqual(['p1', 'p2']);
  });

  it.each<[string, unknown, RegExp]>([
    ['an object instead of an array', valid, /non-empty JSON array/],
    ['an empty array', [], /non-empty JSON array/],
    ['an entry that is not an object', ['x'], /^entry 1: must be an object/],
    ['a missing ak', [{ sk: SK, project_ids: [PROJECT] }], /^entry 1: "ak"/],
    ['an ak with a space', [{ ...valid, ak: 'A K' }], /^entry 1: "ak"/],
    [
      'a missing sk',
      [{ ak: 'AK1', project_ids: [PROJECT] }],
      /^entry 1 \(ak AK1\): "sk" must be .* at least 16/,
    ],
    ['a short sk', [{ ...valid, sk: 'short' }], /"sk" must be a string of at least 16 characters/],
    ['no project_ids', [{ ak: 'AK1', sk: SK }], /"project_ids" must be a non-empty array/],
    ['empty project_ids', [{ ...valid, project_ids: [] }], /"project_ids"/],
    ['a project id with a slash', [{ ...valid, project_ids: ['a/b'] }], /"project_ids"/],
    [
      'a misspelt field',
      [{ ...valid, projects: [PROJECT] }],
      /^entry 1: unknown field\(s\) projects/,
    ],
    ['a duplicate ak', [valid, valid], /^entry 2: duplicate ak/],
  ])('refuses %s', (_case, json, message) => {
    expect(() => parseAccessKeys(json)).toThrow(AccessKeysFileError);
    expect(() => parseAccessKeys(json)).toThrow(message);
  });

  it('never puts a secret key into its error', () => {
    const secret = 'VERY-SECRET-KEY-0123456789';
    const message = messageOf(() => parseAccessKeys([{ ak: 'AK1', sk: secret, project_ids: 'p' }]));
    expect(message).toMatch(/project_ids/);
    expect(message).not.toContain(secret);
  });
});

describe('loadAccessKeysFile', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'access-keys-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it('reads a valid file', () => {
    const keys = loadAccessKeysFile(file('keys.json', JSON.stringify([valid])));
    expect(keys.get(valid.ak)?.projectIds).toEqual([PROJECT]);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadAccessKeysFile(join(dir, 'missing.json'))).toThrow('cannot be read (ENOENT)');
  });

  it('says when the file is not JSON, without quoting it', () => {
    const secret = 'VERY-SECRET-KEY-0123456789';
    const path = file('broken.json', `[{"ak": "AK1", "sk": "${secret}", }]`);
    expect(() => loadAccessKeysFile(path)).toThrow(/^is not valid JSON$/);
  });
});
