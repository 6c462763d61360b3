import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './config/project-root';
import { PROVIDER_SETTINGS } from './git-auth/providers/providers.config';
import { PROVIDERS } from './git-auth/providers/registered-providers';

/**
 * Every variable the configuration reads is in .env.example and the README's configuration table, so the
 * documentation cannot drift from the code. Variables are the upper-case fields of the env classes in the
 * *.config.ts files (the service's in src/, the development entry's in sandbox/), and each registered provider's
 * settings under its prefix.
 */
function variablesReadByCode(): string[] {
  const names = new Set<string>();
  for (const dir of ['src', 'sandbox'].map((d) => join(PROJECT_ROOT, d))) {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.config.ts') && !f.includes('generated'),
    );
    for (const file of files) {
      for (const match of readFileSync(join(dir, file), 'utf8').matchAll(
        /^\s+([A-Z][A-Z0-9_]+)[?!]?: /gm,
      )) {
        names.add(match[1]);
      }
    }
  }
  return [...names].sort();
}

describe('configuration documentation', () => {
  const variables = variablesReadByCode();
  const envExample = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

  it('finds the variables', () => {
    expect(variables).toEqual(
      expect.arrayContaining([
        'PORT',
        'DATABASE_URL',
        'TOKEN_ENCRYPTION_KEYS',
        'AUTH_MODE',
        'SANDBOX_PROVIDERS',
      ]),
    );
  });

  it.each(variablesReadByCode())('%s is in .env.example and the README', (name) => {
    expect(envExample).toMatch(new RegExp(`\\b${name}=`));
    expect(readme).toContain(`\`${name}\``);
  });

  it.each(PROVIDER_SETTINGS)('<P>_%s is documented', (setting) => {
    expect(readme).toContain(`<P>_${setting}`);
  });

  it.each(PROVIDERS.map((p) => [p.displayName, p] as const))(
    '%s: its settings are in .env.example with their defaults, and the README names it',
    (_name, provider) => {
      for (const setting of PROVIDER_SETTINGS) {
        // Providers that fix scopes on the OAuth application have no scopes to set.
        if (setting === 'SCOPES' && provider.scopes.length === 0) continue;
        expect(envExample).toContain(`${provider.envPrefix}_${setting}=`);
      }
      expect(envExample).toContain(`${provider.envPrefix}_WEB_URL=${provider.webUrl}\n`);
      expect(envExample).toContain(`${provider.envPrefix}_API_URL=${provider.apiUrl}\n`);
      expect(readme).toContain(`\`${provider.repoType}\``);
    },
  );
});
