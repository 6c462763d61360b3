import {
  createFake,
  type FakeKind,
  type FakeProvider,
  type FakeUser,
} from '../fakes/fake-provider';

export const KINDS: readonly FakeKind[] = ['github', 'gitlab', 'gitee', 'bitbucket'];
export const ENV_PREFIX: Readonly<Record<FakeKind, string>> = {
  github: 'GITHUB',
  gitlab: 'GITLAB',
  gitee: 'GITEE',
  bitbucket: 'BITBUCKET',
};

export interface FakeProviders {
  readonly fakes: Readonly<Record<FakeKind, FakeProvider>>;
  /** USER at each fake. */
  readonly users: Readonly<Record<FakeKind, FakeUser>>;
  /** The service's configuration for them: client credentials, callback, web and API URLs. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export const USER = 'octo-user';

export function appOf(kind: FakeKind, tag = '') {
  const suffix = tag ? `-${tag}` : '';
  return {
    clientId: `${kind}-client${suffix}`,
    clientSecret: `${kind}-secret${suffix}-0123456789`,
    redirectUri: `https://console.example.com/servicestage/oauth?repo_type=${kind}${tag ? `&tag=${tag}` : ''}`,
  };
}

/** Starts the four fakes on 127.0.0.1, each with a registered app and a user, plus an `intl` app on GitHub. */
export async function startFakeProviders(): Promise<FakeProviders> {
  const fakes = {} as Record<FakeKind, FakeProvider>;
  const users = {} as Record<FakeKind, FakeUser>;
  const env: Record<string, string> = {};
  for (const kind of KINDS) {
    const fake = createFake(kind);
    await fake.start();
    const app = appOf(kind);
    fake.registerApp(app);
    users[kind] = fake.addUser(USER);
    const p = ENV_PREFIX[kind];
    Object.assign(env, {
      [`${p}_CLIENT_ID`]: app.clientId,
      [`${p}_CLIENT_SECRET`]: app.clientSecret,
      [`${p}_REDIRECT_URI`]: app.redirectUri,
      [`${p}_WEB_URL`]: fake.webUrl,
      [`${p}_API_URL`]: fake.apiUrl,
    });
    fakes[kind] = fake;
  }
  const intl = appOf('github', 'intl');
  fakes.github.registerApp(intl);
  Object.assign(env, {
    GITHUB_INTL_CLIENT_ID: intl.clientId,
    GITHUB_INTL_CLIENT_SECRET: intl.clientSecret,
    GITHUB_INTL_REDIRECT_URI: intl.redirectUri,
  });
  return {
    fakes,
    users,
    env,
    stop: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.stop()));
    },
  };
}
