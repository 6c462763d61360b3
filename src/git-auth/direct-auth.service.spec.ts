import { InMemoryAuthorizations, strict } from '../../test/support/in-memory-store';
import { appErrorOf } from '../../test/support/thrown';
import {
  apps,
  gitAuthConfig,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { DirectAuthService } from './direct-auth.service';
import { GitHostResolver } from './git-host-resolver';
import type { AuthorizationRepository } from './persistence/authorization.repository';
import { ProviderRejectedError } from './providers/provider-errors';
import type { ApiTarget, ProviderCredential } from './providers/repo-provider.strategy';

const PROFILE = { username: 'octo', homeUrl: 'https://h/octo', avatarUrl: '' };

function setup(repoType: string, fetchProfile = jest.fn(() => Promise.resolve(PROFILE))) {
  const store = new InMemoryAuthorizations();
  const service = new DirectAuthService(
    registryWith(strategyOf(repoType, { fetchProfile })),
    new GitHostResolver(apps, { ...gitAuthConfig, allowedHosts: ['gitlab.example.com'] }),
    strict<AuthorizationRepository>(store, ['exists', 'create']),
    secrets,
  );
  return { store, service, fetchProfile };
}

const keyOf = async (promise: Promise<unknown>) => (await appErrorOf(promise)).key;

describe('DirectAuthService', () => {
  it('checks a personal token with the credential its provider takes, then stores it sealed', async () => {
    const { store, service, fetchProfile } = setup('gitlab');
    const created = await service.createPersonal('p1', 'gitlab', { name: 'pat', token: 'glpat-1' });
    expect(created).toMatchObject({ tokenType: 'personal', repoUser: 'octo' });
    expect(fetchProfile.mock.calls[0] as unknown[]).toEqual([
      { webUrl: 'https://gitlab.com', apiUrl: 'https://gitlab.com/api/v4', guarded: false },
      { kind: 'bearer', token: 'glpat-1' } satisfies ProviderCredential,
    ]);
    expect(secrets.open(store.get('p1', 'pat')!).secret).toBe('glpat-1');
  });

  it('reaches an allowed self-hosted server guarded, at its API path', async () => {
    const { service, fetchProfile } = setup('gitlab');
    await service.createPersonal('p1', 'gitlab', {
      name: 'self',
      token: 't',
      host: 'https://gitlab.example.com',
    });
    expect((fetchProfile.mock.calls[0] as unknown[])[0]).toEqual({
      webUrl: 'https://gitlab.example.com',
      apiUrl: 'https://gitlab.example.com/api/v4',
      guarded: true,
    } satisfies ApiTarget);
  });

  it('checks a Bitbucket password with HTTP Basic and keeps the user for later checks', async () => {
    const { store, service, fetchProfile } = setup('bitbucket');
    await service.createPassword('p1', 'bitbucket', { name: 'pw', user: 'jdoe', password: 'app' });
    expect((fetchProfile.mock.calls[0] as unknown[])[1]).toEqual({
      kind: 'basic',
      username: 'jdoe',
      password: 'app',
    });
    expect(store.get('p1', 'pw')?.login).toBe('jdoe');
  });

  it('answers 0401 for a kind of secret the provider does not take, before asking it', async () => {
    const { service, fetchProfile } = setup('bitbucket');
    expect(await keyOf(service.createPersonal('p1', 'bitbucket', { name: 'x1', token: 't' }))).toBe(
      'REPO_TYPE_NOT_SUPPORTED',
    );
    expect(
      await keyOf(service.createPassword('p1', 'gitlab', { name: 'x2', user: 'u', password: 'p' })),
    ).toBe('REPO_TYPE_NOT_SUPPORTED');
    expect(fetchProfile).not.toHaveBeenCalled();
  });

  it('stores nothing when the provider refuses the secret: 0451', async () => {
    const refuse = jest.fn(() =>
      Promise.reject(new ProviderRejectedError('unauthorized (HTTP 401)')),
    );
    const { store, service } = setup('gitlab', refuse);
    const error = await appErrorOf(
      service.createPersonal('p1', 'gitlab', { name: 'pat', token: 'revoked' }),
    );
    expect(error.key).toBe('AUTHORIZATION_INVALID');
    expect(error.message).toMatch(/rejected the token \(GitLab: unauthorized/);
    expect(store.rows.size).toBe(0);
  });

  it('refuses a taken name before asking the provider: 0403', async () => {
    const { store, service, fetchProfile } = setup('gitlab');
    store.put({ projectId: 'p1', name: 'taken' });
    expect(await keyOf(service.createPersonal('p1', 'gitlab', { name: 'taken', token: 't' }))).toBe(
      'ALREADY_EXISTS',
    );
    expect(fetchProfile).not.toHaveBeenCalled();
  });
});
