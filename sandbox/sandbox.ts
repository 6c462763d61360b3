import { PROVIDER_SETTINGS } from '../src/git-auth/providers/providers.config';
import { PROVIDERS } from '../src/git-auth/providers/registered-providers';
import { createFake, type FakeProvider } from '../test/fakes/fake-provider';
import { fakeProviderEnv } from '../test/support/providers';
import { seed } from './seed';

export interface SandboxProvider {
  readonly repoType: string;
  readonly displayName: string;
  readonly url: string;
}

export interface Sandbox {
  readonly providers: readonly SandboxProvider[];
  /** The service's configuration for them: an OAuth application each, redirecting to the callback page. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export class SandboxPortInUseError extends Error {}

/**
 * Starts the test fakes of every registered provider on 127.0.0.1 (ports `firstPort`, `firstPort + 1`, … in
 * registry order; 0: any free ones) with interactive sign-in and consent pages, an OAuth application each whose
 * redirect URI is `callbackUrl`, and the seeded users.
 */
export async function startSandbox(options: {
  callbackUrl: string;
  firstPort: number;
}): Promise<Sandbox> {
  const fakes: FakeProvider[] = [];
  const stop = async () => {
    await Promise.all(fakes.map((f) => f.stop()));
  };
  const env: Record<string, string> = {};
  const providers: SandboxProvider[] = [];
  try {
    for (const [index, provider] of PROVIDERS.entries()) {
      const fake = createFake(provider.repoType);
      const port = options.firstPort === 0 ? 0 : options.firstPort + index;
      await fake.start({ port }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        throw new SandboxPortInUseError(
          `SANDBOX_PORT: port ${port} (sandbox ${provider.displayName}) is in use; set SANDBOX_PORT to the ` +
            `first of ${PROVIDERS.length} free ports, or to 0 for any free ones`,
        );
      });
      fakes.push(fake);
      fake.interactiveConsent = true;
      fake.displayName = provider.displayName;
      const app = {
        clientId: `sandbox-${provider.repoType}-client`,
        clientSecret: `sandbox-${provider.repoType}-secret`,
        redirectUri: options.callbackUrl,
        name: 'Git authorization service (local)',
      };
      fake.registerApp(app);
      seed(fake);
      Object.assign(env, fakeProviderEnv(provider.envPrefix, app, fake));
      providers.push({
        repoType: provider.repoType,
        displayName: provider.displayName,
        url: fake.webUrl,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { providers, env, stop };
}

/**
 * Whether `name` is one of the registered providers' settings (`GITHUB_CLIENT_ID`, a tag's `GITHUB_INTL_…`):
 * with the sandbox on, none of the developer's own may mix with the sandbox's.
 */
export function isProviderSetting(name: string): boolean {
  return PROVIDERS.some((p) =>
    PROVIDER_SETTINGS.some((s) => new RegExp(`^${p.envPrefix}_([A-Z0-9]+_)?${s}$`).test(name)),
  );
}
