import { thrown } from '../../../test/support/thrown';
import { AppError } from '../../common/errors/app-error';
import { ProviderRegistry } from './provider-registry';
import type { ProviderDescriptor } from './provider-descriptor';
import { PROVIDERS } from './registered-providers';
import type { RepoProviderStrategy } from './repo-provider.strategy';

const strategy = (descriptor: ProviderDescriptor) => ({ descriptor }) as RepoProviderStrategy;
const all = () => PROVIDERS.map(strategy);

describe('ProviderRegistry', () => {
  it('indexes one strategy per repo type', () => {
    const registry = new ProviderRegistry(all());
    for (const provider of PROVIDERS)
      expect(registry.get(provider.repoType).descriptor).toBe(provider);
  });

  it('fails at boot on a duplicate repo type or env prefix', () => {
    const [first, second] = PROVIDERS;
    expect(() => new ProviderRegistry([...all(), strategy(first)])).toThrow(
      `Two providers registered with repoType "${first.repoType}"`,
    );
    expect(
      () => new ProviderRegistry([...all(), strategy({ ...second, repoType: 'another' })]),
    ).toThrow(`Two providers registered with envPrefix "${second.envPrefix}"`);
  });

  it.each([
    ['an upper-case repo type', { repoType: 'GitHub' }, /repo type "GitHub" must match/],
    ['a prefix with "_"', { envPrefix: 'GIT_HUB' }, /env prefix "GIT_HUB" must match/],
  ])('fails at boot on %s', (_case, change, message) => {
    const odd = { ...PROVIDERS[0], repoType: 'odd', envPrefix: 'ODD', ...change };
    expect(() => new ProviderRegistry([...all(), strategy(odd)])).toThrow(message);
  });

  it.each(['devcloud', 'GitHub', 'constructor', '__proto__'])(
    'answers %s with SVCSTG.REPO.0401',
    (type) => {
      const registry = new ProviderRegistry(all());
      const error = thrown(() => registry.get(type));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('SVCSTG.REPO.0401');
    },
  );
});
