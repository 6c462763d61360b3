import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { gitAuthConfig, type GitAuthConfig } from '../config/git-auth.config';
import type { Authorization } from './domain/authorization';
import { parseServerUrl, serverBase } from './domain/server-url';
import { OAuthApps } from './oauth-apps';
import { isPublicAddress } from './providers/http/address-policy';
import { type ProviderDescriptor, selfHostedApiUrl } from './providers/provider-descriptor';
import type { ApiTarget } from './providers/repo-provider.strategy';

function normalizeUrl(url: string): string {
  return url.replace(/\/+$/, '').toLowerCase();
}

/**
 * Where a provider's API is for an authorization: the configured servers, or a self-hosted one named by the
 * caller — which is only ever contacted over https, when on GIT_ALLOWED_HOSTS, and (unless
 * GIT_ALLOW_PRIVATE_ADDRESSES) only at public addresses, so `host` cannot be used to reach internal services.
 */
@Injectable()
export class GitHostResolver {
  constructor(
    private readonly apps: OAuthApps,
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
  ) {}

  /** For a new personal authorization; `host` omitted means the provider's configured server. */
  resolve(provider: ProviderDescriptor, host: string | undefined): ApiTarget {
    if (host === undefined || host.trim() === '') return this.configured(provider.repoType);
    const url = parseServerUrl(host);
    if (!url) {
      throw new AppError(
        'INVALID_PARAMETER',
        'host must be the URL of a git server, e.g. https://gitlab.example.com',
      );
    }
    const webUrl = serverBase(url);
    const known = this.apps
      .configuredEndpoints(provider.repoType)
      .find((e) => normalizeUrl(e.webUrl) === normalizeUrl(webUrl));
    if (known) return { webUrl: known.webUrl, apiUrl: known.apiUrl, guarded: false };

    const apiUrl = selfHostedApiUrl(provider, webUrl);
    if (apiUrl === undefined) {
      throw new AppError(
        'HOST_NOT_ALLOWED',
        `${provider.displayName} has no self-hosted servers; omit host`,
      );
    }
    this.assertAllowed(url);
    return { webUrl, apiUrl, guarded: true };
  }

  /**
   * For a stored authorization: a configured API is trusted; any other is a self-hosted server and must still
   * pass today's rules (a host removed from GIT_ALLOWED_HOSTS gets no more tokens sent to it).
   */
  targetOf(authorization: Pick<Authorization, 'repoType' | 'repoHost' | 'apiUrl'>): ApiTarget {
    const configured = this.apps
      .configuredEndpoints(authorization.repoType)
      .some((e) => normalizeUrl(e.apiUrl) === normalizeUrl(authorization.apiUrl));
    if (!configured) this.assertAllowed(new URL(authorization.apiUrl));
    return { webUrl: authorization.repoHost, apiUrl: authorization.apiUrl, guarded: !configured };
  }

  /** https, on the allow-list, and (unless allowed) not an IP literal of a private network. */
  private assertAllowed(url: URL): void {
    if (url.protocol !== 'https:')
      throw new AppError('HOST_NOT_ALLOWED', 'Self-hosted git servers must use https');
    if (!this.isAllowed(url)) {
      throw new AppError(
        'HOST_NOT_ALLOWED',
        `${url.host} is not an allowed git host (GIT_ALLOWED_HOSTS)`,
      );
    }
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !this.config.allowPrivateAddresses && !isPublicAddress(literal)) {
      throw new AppError('HOST_NOT_ALLOWED', `${url.host} is not a public address`);
    }
  }

  private configured(repoType: string): ApiTarget {
    const endpoints = this.apps.endpoints(repoType);
    return { webUrl: endpoints.webUrl, apiUrl: endpoints.apiUrl, guarded: false };
  }

  /** `host` allows that host on any port, `host:port` that port only, `*.domain` any subdomain. */
  private isAllowed(url: URL): boolean {
    const hostname = url.hostname.toLowerCase();
    const port = url.port || '443';
    return this.config.allowedHosts.some((entry) => {
      const [pattern, entryPort] = entry.split(':');
      if (entryPort !== undefined && entryPort !== port) return false;
      return pattern.startsWith('*.') ? hostname.endsWith(pattern.slice(1)) : hostname === pattern;
    });
  }
}
