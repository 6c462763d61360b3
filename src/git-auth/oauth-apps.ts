import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AppError } from '../common/errors/app-error';
import { type OAuthApp, type ProviderEndpoints, providersConfig } from '../config/providers.config';
import type { RepoType } from './domain/repo-type';

/** The configured OAuth applications and provider endpoints. */
@Injectable()
export class OAuthApps {
  constructor(
    @Inject(providersConfig.KEY) private readonly config: ConfigType<typeof providersConfig>,
  ) {}

  /** The application for a flow: an unconfigured provider or tag is the caller's error (0453), not ours. */
  get(repoType: RepoType, tag: string): OAuthApp {
    const app = this.config.apps[repoType].get(tag);
    if (!app) {
      throw new AppError(
        'PROVIDER_NOT_CONFIGURED',
        tag
          ? `No OAuth application is configured for ${repoType} with tag "${tag}"`
          : `No OAuth application is configured for ${repoType}`,
      );
    }
    return app;
  }

  /** The app an existing authorization was created with, if it is still configured. */
  find(repoType: RepoType, tag: string): OAuthApp | undefined {
    return this.config.apps[repoType].get(tag);
  }

  endpoints(repoType: RepoType): ProviderEndpoints {
    return this.config.endpoints[repoType];
  }

  /** Every web URL configured for the provider (untagged and tagged) with its API URL. */
  configuredEndpoints(repoType: RepoType): ProviderEndpoints[] {
    return [this.config.endpoints[repoType], ...[...this.config.apps[repoType].values()]];
  }
}
