import { loadProvidersConfig, type ProvidersConfig } from './providers.config';
import { PROVIDERS } from './registered-providers';

const settings = (config: ProvidersConfig, repoType: string) => {
  const found = config.get(repoType);
  if (!found) throw new Error(`no settings for ${repoType}`);
  return found;
};

const GITHUB = {
  GITHUB_CLIENT_ID: 'gh-id',
  GITHUB_CLIENT_SECRET: 'gh-secret',
  GITHUB_REDIRECT_URI: 'https://console.example.com/cb',
};

describe('loadProvidersConfig', () => {
  it("has every registered provider's public defaults and no OAuth application when nothing is set", () => {
    const config = loadProvidersConfig({});
    expect([...config.keys()]).toEqual(PROVIDERS.map((p) => p.repoType));
    for (const provider of PROVIDERS) {
      expect(settings(config, provider.repoType).endpoints).toEqual({
        webUrl: provider.webUrl,
        apiUrl: provider.apiUrl,
      });
      expect(settings(config, provider.repoType).apps.size).toBe(0);
    }
    expect(settings(config, 'github').endpoints).toEqual({
      webUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
    });
  });

  it('reads every provider under its own prefix', () => {
    const env = Object.fromEntries(
      PROVIDERS.flatMap((p) => [
        [`${p.envPrefix}_CLIENT_ID`, `${p.repoType}-id`],
        [`${p.envPrefix}_CLIENT_SECRET`, 's'],
        [`${p.envPrefix}_REDIRECT_URI`, 'https://console.example.com/cb'],
      ]),
    );
    const config = loadProvidersConfig(env);
    for (const p of PROVIDERS)
      expect(settings(config, p.repoType).apps.get('')).toMatchObject({
        repoType: p.repoType,
        clientId: `${p.repoType}-id`,
        scopes: p.scopes,
      });
  });

  it('reads the default application with the provider default scopes', () => {
    const app = settings(loadProvidersConfig(GITHUB), 'github').apps.get('');
    expect(app).toMatchObject({
      clientId: 'gh-id',
      tag: '',
      scopes: ['read:user', 'repo', 'write:repo_hook'],
    });
  });

  it('makes a tag from <P>_<TAG>_CLIENT_ID, falling back to the untagged settings', () => {
    const config = loadProvidersConfig({
      ...GITHUB,
      GITHUB_WEB_URL: 'https://ghe.example/',
      GITHUB_API_URL: 'https://ghe.example/api/v3',
      GITHUB_INTL_CLIENT_ID: 'intl-id',
      GITHUB_INTL_SCOPES: 'read:user, repo',
    });
    expect(settings(config, 'github').apps.get('intl')).toMatchObject({
      tag: 'intl',
      clientId: 'intl-id',
      clientSecret: 'gh-secret',
      redirectUri: 'https://console.example.com/cb',
      webUrl: 'https://ghe.example',
      apiUrl: 'https://ghe.example/api/v3',
      scopes: ['read:user', 'repo'],
    });
  });

  it('allows a tagged application without an untagged one', () => {
    const config = loadProvidersConfig({
      GITLAB_CN_CLIENT_ID: 'cn',
      GITLAB_CN_CLIENT_SECRET: 's',
      GITLAB_CN_REDIRECT_URI: 'https://x/cb',
      GITLAB_CN_WEB_URL: 'https://gitlab.cn',
    });
    expect(settings(config, 'gitlab').apps.has('')).toBe(false);
    expect(settings(config, 'gitlab').apps.get('cn')).toMatchObject({
      webUrl: 'https://gitlab.cn',
      apiUrl: 'https://gitlab.com/api/v4',
    });
  });

  it('names every wrong variable', () => {
    expect(() =>
      loadProvidersConfig({
        GITEE_CLIENT_ID: 'x',
        GITEE_REDIRECT_URI: 'not a url',
        GITHUB_API_URL: 'ftp://x',
        BITBUCKET_INTL_CLIENT_ID: 'y',
        BITBUCKET_INTL_CLIENT_SECRET: 'z',
      }),
    ).toThrow(
      /GITHUB_API_URL: must be an http\(s\) URL[\s\S]*GITEE_CLIENT_SECRET: required[\s\S]*GITEE_REDIRECT_URI: an absolute[\s\S]*BITBUCKET_INTL_REDIRECT_URI \(or BITBUCKET_REDIRECT_URI\)/,
    );
  });
});
