import { AppError } from '../../../common/errors/app-error';
import { toProviderAppError } from '../provider-call';
import type { ProviderDescriptor } from '../provider-descriptor';
import { ProviderAnswerError } from '../provider-errors';

/** A provider's message for "this exists already", whatever status it came with (Gitea: 409; others 400/422). */
const ALREADY_EXISTS = /already exists?|has already been taken|is taken|name exists/i;

/**
 * The provider's answer to a repository call as this service's error: its truth, mapped. A 401 never gets here
 * (it is the authorization failing, which the caller records); outages and timeouts are 502/504.
 */
export function toRepoAppError(provider: ProviderDescriptor, error: unknown): unknown {
  if (!(error instanceof ProviderAnswerError)) return toProviderAppError(provider, error);
  const name = provider.displayName;
  const said = error.reason ? `: ${error.reason}` : '';
  if (error.rateLimited) {
    const wait = error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    return new AppError(
      'PROVIDER_RATE_LIMITED',
      `${name} rate-limited this authorization; retry in ${wait} s`,
      { 'retry-after': String(wait) },
    );
  }
  if (ALREADY_EXISTS.test(error.reason) && [400, 409, 422].includes(error.status))
    return new AppError('ALREADY_EXISTS', `${name} says it already exists${said}`);
  switch (error.status) {
    case 403:
      return new AppError(
        'PROVIDER_FORBIDDEN',
        `${name} refused: the authorization lacks the right or scope${said}`,
      );
    case 404:
    case 410:
      return new AppError(
        'REPO_NOT_FOUND',
        `${name} found nothing there, or this authorization cannot see it${said}`,
      );
    case 409:
      return new AppError('STALE_SHA', `${name} reports a conflict${said}`);
    case 400:
    case 422:
      return new AppError('INVALID_PARAMETER', `${name} refused the request${said}`);
    default:
      return new AppError(
        'PROVIDER_UNAVAILABLE',
        `${name} is unreachable or failed: it answered HTTP ${error.status}`,
      );
  }
}

/** When a provider rate-limits without saying for how long. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

export function notAFile(path: string): AppError {
  return new AppError('INVALID_PARAMETER', `"${path}" is a directory or submodule, not a file`);
}

export function fileTooLarge(path: string, maxBytes: number): AppError {
  return new AppError(
    'FILE_TOO_LARGE',
    `"${path}" is larger than REPO_MAX_FILE_BYTES (${maxBytes} bytes)`,
  );
}

export function noSuchFile(path: string, branch: string): AppError {
  return new AppError('REPO_NOT_FOUND', `There is no file "${path}" on branch "${branch}"`);
}

export function fileExists(path: string, branch: string): AppError {
  return new AppError('ALREADY_EXISTS', `"${path}" already exists on branch "${branch}"`);
}

export function staleSha(path: string): AppError {
  return new AppError(
    'STALE_SHA',
    `"${path}" has changed since it was read: read it again (showContent) and retry with its sha`,
  );
}

export function hookExists(provider: ProviderDescriptor, id: string): AppError {
  return new AppError(
    'ALREADY_EXISTS',
    `${provider.displayName} already has a webhook with this URL on the repository (id ${id})`,
  );
}

/** An operation the provider's API has no way to do. */
export function notSupported(provider: ProviderDescriptor, what: string): AppError {
  return new AppError(
    'REPO_TYPE_NOT_SUPPORTED',
    `${what} is not supported for ${provider.displayName} (repo type ${provider.repoType}): its API has no way to do it`,
  );
}

/** The same answer as another status: providers say "not found" or "conflict" with statuses of their own. */
export function asStatus(error: ProviderAnswerError, status: number): ProviderAnswerError {
  return new ProviderAnswerError(status, error.reason, error.retryAfterSeconds, error.rateLimited);
}
