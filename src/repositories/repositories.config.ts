import { registerAs } from '@nestjs/config';
import { IsInt, Matches, Max, Min } from '../common/validation/class-validator';
import { readEnv, ToInteger, ToList } from '../config/env';

class RepositoriesEnv {
  /** Lists follow the provider's pages up to this many items, then stop with a warning in the log. */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(100_000)
  REPO_LIST_MAX_ITEMS: number = 10_000;

  /** showContent refuses larger files (SVCSTG.REPO.0458); the bound keeps one answer's memory in check. */
  @ToInteger()
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  REPO_MAX_FILE_BYTES: number = 1024 * 1024;

  /**
   * Hosts whose webhooks may be plain http (development receivers such as `localhost`); every other hook URL
   * must be https. Empty by default.
   */
  @ToList()
  @Matches(/^[a-z0-9.-]+$/i, {
    each: true,
    message: 'REPO_HOOK_HTTP_HOSTS must be a comma-separated list of host names',
  })
  REPO_HOOK_HTTP_HOSTS: string[] = [];
}

export function loadRepositoriesConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(RepositoriesEnv, env);
  return {
    maxListItems: e.REPO_LIST_MAX_ITEMS,
    maxFileBytes: e.REPO_MAX_FILE_BYTES,
    hookHttpHosts: new Set(e.REPO_HOOK_HTTP_HOSTS.map((h) => h.toLowerCase())),
  };
}

export const repositoriesConfig = registerAs('repositories', () => loadRepositoriesConfig());
export type RepositoriesConfig = ReturnType<typeof loadRepositoriesConfig>;
