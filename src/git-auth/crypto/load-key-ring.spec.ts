import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { EMBEDDED_KEY_FILE, loadKeyRing } from './load-key-ring';

describe('loadKeyRing', () => {
  let dir: string;
  const quiet = new Logger('test');
  let warn: jest.SpyInstance;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keys-'));
    warn = jest.spyOn(quiet, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers TOKEN_ENCRYPTION_KEYS, then TOKEN_ENCRYPTION_KEYS_FILE', () => {
    const file = join(dir, 'keys');
    writeFileSync(file, `from-file:${randomBytes(32).toString('base64')}\n`);
    expect(
      loadKeyRing({ keys: `from-env:${randomBytes(32).toString('base64')}`, keysFile: file })
        .current.id,
    ).toBe('from-env');
    expect(loadKeyRing({ keysFile: file }).current.id).toBe('from-file');
  });

  it('refuses to start on a server database without keys, naming the variable', () => {
    expect(() => loadKeyRing({})).toThrow(/TOKEN_ENCRYPTION_KEYS: required with DATABASE_URL/);
  });

  it('creates a development key once next to the embedded database, private to its owner', () => {
    const first = loadKeyRing({ embeddedDataDir: dir }, quiet);
    const second = loadKeyRing({ embeddedDataDir: dir }, quiet);
    expect(second.current.id).toBe(first.current.id);
    expect(second.current.key.equals(first.current.key)).toBe(true);
    expect(statSync(join(dir, EMBEDDED_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, EMBEDDED_KEY_FILE), 'utf8')).toMatch(
      /^dev-\d{8}-[0-9a-f]{6}:[A-Za-z0-9+/]{43}=\n$/,
    );
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
