import type { DirectTokenType } from '../../src/git-auth/providers/provider-descriptor';
import {
  PROVIDERS,
  REPO_TYPES,
  repoTypesAccepting,
} from '../../src/git-auth/providers/registered-providers';
import {
  createFake,
  type FakeProvider,
  type FakeUser,
  type ProviderFacts,
} from '../fakes/fake-provider';

/** Every registered provider (each needs a fake in test/fakes). */
export const KINDS: readonly string[] = REPO_TYPES;

/** The registered providers that take personal tokens, or passwords. */
export const kindsAccepting = (tokenType: DirectTokenType): string[] =>
  repoTypesAccepting(tokenType);

export const ENV_PREFIX: Readonly<Record<string, string>> = Object.fromEntries(
  PROVIDERS.map((p) => [p.repoType, p.envPrefix]),
);

export interface FakeProviders {
  readonly fakes: Readonly<Record<string, FakeProvider>>;
  /** USER at each fake. */
  readonly users: Readonly<Record<string, FakeUser>>;
  /** The service's configuration for them: client credentials, callback, web and API URLs. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export const USER = 'octo-user';

export function appOf(kind: string, tag = '') {
  const suffix = tag ? `-${tag}` : '';
  return {
    clientId: `${kind}-client${suffix}`,
    clientSecret: `${kind}-secret${suffix}-0123456789`,
    redirectUri: `https://console.example.com/servicestage/oauth?repo_type=${kind}${tag ? `&tag=${tag}` : ''}`,
  };
}

/**
 * Starts a fake of every registered provider on 127.0.0.1, each with a registered app and a user, plus an
 * `intl` app on GitHub.
 */
export async function startFakeProviders(): Promise<FakeProviders> {
  const fakes: Record<string, FakeProvider> = {};
  const users: Record<string, FakeUser> = {};
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

/** What a provider's real server does (its fake states it), readable when tests are being declared. */
export function factsOf(kind: string): ProviderFacts {
  return createFake(kind).facts;
}
