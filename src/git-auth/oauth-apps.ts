import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import type { ProviderDescriptor } from './providers/provider-descriptor';
import {
  type OAuthApp,
  type ProviderEndpoints,
  type ProviderSettings,
  type ProvidersConfig,
  providersConfig,
} from './providers/providers.config';

/** The configured OAuth applications and provider endpoints. */
@Injectable()
export class OAuthApps {
  constructor(@Inject(providersConfig.KEY) private readonly config: ProvidersConfig) {}

  /** The application for a flow: an unconfigured provider or tag is the caller's error (0453), not ours. */
  get(provider: ProviderDescriptor, tag: string): OAuthApp {
    const app = this.settings(provider.repoType).apps.get(tag);
    if (!app) {
      throw new AppError(
        'PROVIDER_NOT_CONFIGURED',
        tag
          ? `No OAuth application is configured for ${provider.repoType} with tag "${tag}"`
          : `No OAuth application is configured for ${provider.repoType}`,
      );
    }
    return app;
  }

  /** The app an existing authorization was created with, if it is still configured. */
  find(repoType: string, tag: string): OAuthApp | undefined {
    return this.config.get(repoType)?.apps.get(tag);
  }

  endpoints(repoType: string): ProviderEndpoints {
    return this.settings(repoType).endpoints;
  }

  /** Every web URL configured for the provider (untagged and tagged) with its API URL. */
  configuredEndpoints(repoType: string): ProviderEndpoints[] {
    const settings = this.settings(repoType);
    return [settings.endpoints, ...settings.apps.values()];
  }

  private settings(repoType: string): ProviderSettings {
    const settings = this.config.get(repoType);
    // Configuration is loaded for every registered provider, and repo types reach here through the registry.
    if (!settings) throw new Error(`No configuration for repo type "${repoType}"`);
    return settings;
  }
}
