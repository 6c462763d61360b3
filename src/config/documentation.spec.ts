import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root';

/**
 * Every variable the configuration reads is in .env.example and the README's configuration table, so the
 * documentation cannot drift from the code. Variables are the upper-case fields of the env classes in src/config.
 */
function variablesReadByCode(): string[] {
  const dir = join(PROJECT_ROOT, 'src', 'config');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.config.ts'))) {
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(
      /^\s+([A-Z][A-Z0-9_]+)[?!]?: /gm,
    )) {
      names.add(match[1]);
    }
  }
  return [...names].sort();
}

const PROVIDER_SETTINGS = [
  'CLIENT_ID',
  'CLIENT_SECRET',
  'REDIRECT_URI',
  'SCOPES',
  'WEB_URL',
  'API_URL',
];

describe('configuration documentation', () => {
  const variables = variablesReadByCode();
  const envExample = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

  it('finds the variables', () => {
    expect(variables).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_URL', 'TOKEN_ENCRYPTION_KEYS', 'AUTH_MODE']),
    );
  });

  it.each(variablesReadByCode())('%s is in .env.example and the README', (name) => {
    expect(envExample).toMatch(new RegExp(`\\b${name}=`));
    expect(readme).toContain(`\`${name}\``);
  });

  it.each(PROVIDER_SETTINGS)('<P>_%s is documented for every provider', (setting) => {
    expect(readme).toContain(`<P>_${setting}`);
    for (const p of ['GITHUB', 'GITLAB', 'GITEE', 'BITBUCKET']) {
      if (p === 'BITBUCKET' && setting === 'SCOPES') continue;
      expect(envExample).toContain(`${p}_${setting}=`);
    }
  });
});
