import { AppError } from '../../common/errors/app-error';

export const MAX_HOOK_URL_LENGTH = 2000;

/**
 * A webhook's callback URL: absolute `https`, at most 2,000 characters, without user info (a credential in a
 * URL ends up in the provider's hook list and delivery logs for everyone with admin rights to see). `http` only
 * for a host on REPO_HOOK_HTTP_HOSTS (development receivers).
 */
export function checkHookUrl(value: string, httpHosts: ReadonlySet<string>): string {
  if (value.length > MAX_HOOK_URL_LENGTH)
    throw invalid(`url must be at most ${MAX_HOOK_URL_LENGTH} characters`);
  // The URL parser drops tabs and line breaks silently; what goes to the provider must be what was checked.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(value) || !URL.canParse(value))
    throw invalid('url must be an absolute https URL');
  const url = new URL(value);
  if (url.username !== '' || url.password !== '')
    throw invalid('url must not carry credentials (user info): use the secret instead');
  if (url.protocol === 'https:') return value;
  if (url.protocol === 'http:' && httpHosts.has(url.hostname.toLowerCase())) return value;
  if (url.protocol === 'http:')
    throw invalid(
      `url must be https; http only for a host on REPO_HOOK_HTTP_HOSTS (not ${url.hostname})`,
    );
  throw invalid('url must be an absolute https URL');
}

function invalid(message: string): AppError {
  return new AppError('INVALID_PARAMETER', message);
}
