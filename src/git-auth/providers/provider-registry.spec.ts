import { thrown } from '../../../test/support/thrown';
import { AppError } from '../../common/errors/app-error';
import { ProviderRegistry } from './provider-registry';
import type { RepoProviderStrategy } from './repo-provider.strategy';

const strategy = (repoType: string) => ({ repoType }) as RepoProviderStrategy;
const all = () => ['github', 'gitlab', 'gitee', 'bitbucket'].map(strategy);

describe('ProviderRegistry', () => {
  it('indexes one strategy per repo type', () => {
    const registry = new ProviderRegistry(all());
    expect(registry.get('gitee').repoType).toBe('gitee');
  });

  it('fails at boot on a duplicate', () => {
    expect(() => new ProviderRegistry([...all(), strategy('gitlab')])).toThrow(
      /Two RepoProviderStrategy registrations for repo type "gitlab"/,
    );
  });

  it('fails at boot on a missing type', () => {
    expect(() => new ProviderRegistry(all().slice(0, 3))).toThrow(
      /No RepoProviderStrategy for repo type\(s\): bitbucket/,
    );
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
