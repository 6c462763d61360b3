import type { DirectTokenType } from '../../src/git-auth/providers/provider-descriptor';
import {
  PROVIDERS,
  REPO_TYPES,
  repoTypesAccepting,
} from '../../src/git-auth/providers/registered-providers';
import {
  createFake,
  type FakeApp,
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

/** The service's settings for `app` registered at `fake`: `<P>_CLIENT_ID` … `<P>_API_URL`. */
export function fakeProviderEnv(
  envPrefix: string,
  app: FakeApp,
  fake: FakeProvider,
): Record<string, string> {
  return {
    [`${envPrefix}_CLIENT_ID`]: app.clientId,
    [`${envPrefix}_CLIENT_SECRET`]: app.clientSecret,
    [`${envPrefix}_REDIRECT_URI`]: app.redirectUri,
    [`${envPrefix}_WEB_URL`]: fake.webUrl,
    [`${envPrefix}_API_URL`]: fake.apiUrl,
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
    Object.assign(env, fakeProviderEnv(ENV_PREFIX[kind], app, fake));
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
