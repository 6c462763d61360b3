import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { readEnv, ToBoolean, ToInteger, ToList } from './env';

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

export function loadGitAuthConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(GitAuthEnv, env);
  return {
    stateTtlSeconds: e.OAUTH_STATE_TTL_SECONDS,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    credentialMinTtlSeconds: e.CREDENTIAL_MIN_TTL_SECONDS,
    allowedHosts: e.GIT_ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    allowPrivateAddresses: e.GIT_ALLOW_PRIVATE_ADDRESSES,
    caFile: e.GIT_CA_FILE,
  };
}

export const gitAuthConfig = registerAs('gitAuth', () => loadGitAuthConfig());
export type GitAuthConfig = ReturnType<typeof loadGitAuthConfig>;
