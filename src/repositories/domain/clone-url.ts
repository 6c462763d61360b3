import { AppError } from '../../common/errors/app-error';
import type { ProjectRef } from '../../git-auth/providers/repo-api/repo-model';

const MAX_CLONE_URL_LENGTH = 2048;
/** `git@host:ns/repo.git`: git's scp-like syntax. */
const SCP_LIKE = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;

/**
 * The repository a clone URL names: `http(s)://[user@]host[:port]/ns…/repo[.git][/]`, `ssh://git@host[:port]/…`
 * or `git@host:ns/repo.git`, on the authorization's own server (`webUrl`; a path it lives under is skipped).
 * The last segment is the repository, the ones before it its namespace (GitLab subgroups); at least two.
 * Anything else is 0452.
 */
export function parseCloneUrl(raw: unknown, webUrl: string): ProjectRef {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new AppError('INVALID_PARAMETER', 'clone_url is required');
  const web = new URL(webUrl);
  const invalid = () =>
    new AppError(
      'CLONE_URL_INVALID',
      `clone_url must be the clone URL of a repository on ${web.host} (https://${web.host}/namespace/repo.git or git@${web.hostname}:namespace/repo.git)`,
    );
  if (raw.length > MAX_CLONE_URL_LENGTH) throw invalid();
  const located = locate(raw.trim());
  if (!located || located.hostname.toLowerCase() !== web.hostname.toLowerCase()) throw invalid();

  let path = located.path;
  const base = web.pathname.replace(/\/+$/, '');
  if (located.http && base !== '') {
    if (!path.startsWith(`${base}/`)) throw invalid();
    path = path.slice(base.length);
  }
  const segments = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (segments.length < 2 || segments.some((s) => s === '' || s === '.' || s === '..'))
    throw invalid();
  return { namespace: segments.slice(0, -1).join('/'), project: segments[segments.length - 1] };
}

function locate(raw: string): { hostname: string; path: string; http: boolean } | undefined {
  const scp = SCP_LIKE.exec(raw);
  if (scp && !raw.includes('://')) return { hostname: scp[1], path: `/${scp[2]}`, http: false };
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  if (!['http:', 'https:', 'ssh:'].includes(url.protocol) || url.search || url.hash)
    return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  return { hostname: url.hostname, path, http: url.protocol !== 'ssh:' };
}
