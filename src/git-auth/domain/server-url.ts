/**
 * A git server's URL as an operator configures it or a caller names it: http(s), without credentials, query or
 * fragment (anything else could smuggle a secret or a second target into requests built on it).
 */
export function parseServerUrl(raw: string): URL | undefined {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    return undefined;
  return url;
}

/** The URL as a base for paths: origin and path, without trailing slashes (servers may live under a path). */
export function serverBase(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
