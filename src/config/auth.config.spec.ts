import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rsaKeyPair } from '../../test/support/jwt';
import { loadAuthConfig } from './auth.config';
import { InvalidConfigurationError } from './env';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const SK = 'TESTSK0987654321abcdef';

describe('loadAuthConfig', () => {
  let dir: string;
  let keysFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-config-'));
    keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify([{ ak: 'AK1', sk: SK, project_ids: ['p1'] }]));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is iam unless told otherwise, and then needs credentials to check', () => {
    expect(() => loadAuthConfig({})).toThrow(InvalidConfigurationError);
    expect(() => loadAuthConfig({ AUTH_MODE: '' })).toThrow(
      /^Invalid configuration:\n {2}AUTH_MODE: .*AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET .*AUTH_ACCESS_KEYS_FILE/,
    );
  });

  it('turns authentication off only for AUTH_MODE=none', () => {
    expect(loadAuthConfig({ AUTH_MODE: 'none' })).toEqual({ mode: 'none' });
    expect(() => loadAuthConfig({ AUTH_MODE: 'off' })).toThrow(/AUTH_MODE: /);
  });

  it('reads a JWT secret with the default project claim', () => {
    const config = loadAuthConfig({ AUTH_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      mode: 'iam',
      jwt: { key: { algorithm: 'HS256' }, projectClaim: 'project_id' },
      accessKeys: undefined,
    });
  });

  it('reads a public key, claim, issuer and audience', () => {
    const config = loadAuthConfig({
      AUTH_JWT_PUBLIC_KEY: rsaKeyPair().publicPem,
      AUTH_JWT_PROJECT_CLAIM: 'projects',
      AUTH_JWT_ISSUER: 'https://iam.example.com',
      AUTH_JWT_AUDIENCE: 'git-auth',
    });
    expect(config).toMatchObject({
      mode: 'iam',
      jwt: {
        key: { algorithm: 'RS256' },
        projectClaim: 'projects',
        issuer: 'https://iam.example.com',
        audience: 'git-auth',
      },
    });
  });

  it('reads the access keys file', () => {
    const config = loadAuthConfig({ AUTH_ACCESS_KEYS_FILE: keysFile });
    expect(config.mode === 'iam' && config.accessKeys?.get('AK1')?.projectIds).toEqual(['p1']);
  });

  it.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['a short secret', { AUTH_JWT_SECRET: 'short' }, /AUTH_JWT_SECRET: must be at least 32 bytes/],
    ['a bad public key', { AUTH_JWT_PUBLIC_KEY: 'nope' }, /AUTH_JWT_PUBLIC_KEY: must be a PEM/],
    [
      'both a public key and a secret',
      { AUTH_JWT_PUBLIC_KEY: 'x', AUTH_JWT_SECRET: SECRET },
      /AUTH_JWT_SECRET: set either AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET/,
    ],
    [
      'a bad claim name',
      { AUTH_JWT_SECRET: SECRET, AUTH_JWT_PROJECT_CLAIM: 'a b' },
      /AUTH_JWT_PROJECT_CLAIM: /,
    ],
  ])('names the variable for %s', (_case, env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(InvalidConfigurationError);
    expect(() => loadAuthConfig(env)).toThrow(message);
  });

  it('names the variable and the file when the access keys file is wrong', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadAuthConfig({ AUTH_ACCESS_KEYS_FILE: missing })).toThrow(
      `AUTH_ACCESS_KEYS_FILE: ${missing}: cannot be read (ENOENT)`,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ak: 'AK1', sk: 'short', project_ids: ['p1'] }]));
    expect(() => loadAuthConfig({ AUTH_ACCESS_KEYS_FILE: bad })).toThrow(
      `AUTH_ACCESS_KEYS_FILE: ${bad}: entry 1 (ak AK1): "sk" must be`,
    );
  });
});
