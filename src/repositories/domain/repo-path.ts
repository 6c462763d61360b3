import { AppError } from '../../common/errors/app-error';
import type { ProjectRef } from '../../git-auth/providers/repo-api/repo-model';

/** Longest `namespace`, `project` or file path, decoded. */
export const MAX_PATH_LENGTH = 1024;

/**
 * A `namespace`, `project` or `path` value as the SDK sends it: unencoded, every `/` written `:` (a percent-encoded
 * `/` is accepted too; the router has decoded the segment). Returns the `/`-separated path. Refused with 0400:
 * NUL, more than 1,024 characters, empty, `.` or `..` segments. (So a file whose name holds `:` cannot be named.)
 */
export function parsePathParam(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalid(`${field} is required`);
  if (value.includes('\u0000')) throw invalid(`${field} must not contain NUL`);
  if (value.length > MAX_PATH_LENGTH)
    throw invalid(`${field} must be at most ${MAX_PATH_LENGTH} characters`);
  const path = value.replace(/:/g, '/');
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..'))
    throw invalid(`${field} must not have empty, "." or ".." segments (":" stands for "/")`);
  return path;
}

/**
 * The repository `{namespace}/{project}` names. `project` may be a full path written with `:`: then `namespace`
 * must be its namespace or a prefix of it (`acme` with `acme:platform:api`), and the path decides.
 */
export function projectRef(namespace: unknown, project: unknown): ProjectRef {
  const ns = parsePathParam('namespace', namespace);
  const path = parsePathParam('project', project);
  const slash = path.lastIndexOf('/');
  if (slash === -1) return { namespace: ns, project: path };
  const owner = path.slice(0, slash);
  if (owner !== ns && !owner.startsWith(`${ns}/`))
    throw invalid(`project "${path}" is not in namespace "${ns}"`);
  return { namespace: owner, project: path.slice(slash + 1) };
}

function invalid(message: string): AppError {
  return new AppError('INVALID_PARAMETER', message);
}
