import { registerAs } from '@nestjs/config';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from '../common/validation/class-validator';
import { invalidVariable, readEnv, ToBoolean, ToInteger, ToList } from './env';

class GitAuthEnv {
  @ToInteger()
  @IsInt()
  @Min(60)
  @Max(3600)
  OAUTH_STATE_TTL_SECONDS: number = 600;

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(120_000)
  PROVIDER_TIMEOUT_MS: number = 10_000;

  /**
   * The bound of a refresh's call to the provider, which goes on after its caller stopped waiting (at
   * PROVIDER_TIMEOUT_MS): a provider that rotates refresh tokens has spent the old one once it got the request,
   * so its answer must be awaited and stored. Unset: 20 s, or twice PROVIDER_TIMEOUT_MS if that is longer.
   */
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(600_000)
  REFRESH_TIMEOUT_MS?: number;

  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(3600)
  CREDENTIAL_MIN_TTL_SECONDS: number = 300;

  /** Self-hosted git servers that personal authorizations may name (host or host:port; `*.example.com` for subdomains). */
  @ToList()
  @Matches(/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i, {
    each: true,
    message: 'GIT_ALLOWED_HOSTS must be a comma-separated list of host[:port] or *.domain entries',
  })
  GIT_ALLOWED_HOSTS: string[] = [];

  /** Self-hosted servers inside a private network must be allowed explicitly (server-side request forgery). */
  @ToBoolean()
  @IsBoolean()
  GIT_ALLOW_PRIVATE_ADDRESSES: boolean = false;

  /** PEM bundle of extra certificate authorities trusted for git servers (self-hosted servers with an internal CA). */
  @IsOptional()
  @IsString()
  GIT_CA_FILE?: string;
}

/** REFRESH_TIMEOUT_MS when unset. */
const DEFAULT_REFRESH_TIMEOUT_MS = 20_000;

export function loadGitAuthConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(GitAuthEnv, env);
  const refreshTimeoutMs =
    e.REFRESH_TIMEOUT_MS ?? Math.max(DEFAULT_REFRESH_TIMEOUT_MS, 2 * e.PROVIDER_TIMEOUT_MS);
  if (refreshTimeoutMs < e.PROVIDER_TIMEOUT_MS) {
    throw invalidVariable(
      'REFRESH_TIMEOUT_MS',
      `must not be shorter than PROVIDER_TIMEOUT_MS (${e.PROVIDER_TIMEOUT_MS}): a refresh outlives its caller's wait`,
    );
  }
  return {
    stateTtlSeconds: e.OAUTH_STATE_TTL_SECONDS,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    refreshTimeoutMs,
    credentialMinTtlSeconds: e.CREDENTIAL_MIN_TTL_SECONDS,
    allowedHosts: e.GIT_ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    allowPrivateAddresses: e.GIT_ALLOW_PRIVATE_ADDRESSES,
    caFile: e.GIT_CA_FILE,
  };
}

export const gitAuthConfig = registerAs('gitAuth', () => loadGitAuthConfig());
export type GitAuthConfig = ReturnType<typeof loadGitAuthConfig>;
