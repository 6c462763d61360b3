import type { ProviderResponse } from '../http/provider-http';

/**
 * How a provider says where its next page is. Given the page just read, the URL it was read from and how many
 * items it held, a rule returns the next page's URL, or undefined at the end of the list.
 */
export type NextPage = (page: ProviderResponse, current: URL, items: number) => URL | undefined;

/** RFC 8288 `Link: <…>; rel="next"` (GitHub, Gitea, GitLab's keyset paging), resolved against the page's URL. */
export const linkNext: NextPage = (page, current) => {
  const next = nextLink(page.headers.get('link'));
  return next === undefined ? undefined : resolve(next, current);
};

/** GitLab: `Link`, else `X-Next-Page` (a page number; empty on the last page). */
export const gitlabNext: NextPage = (page, current, items) => {
  const linked = linkNext(page, current, items);
  if (linked) return linked;
  const number = page.headers.get('x-next-page')?.trim();
  if (!number || !/^\d+$/.test(number)) return undefined;
  const url = new URL(current);
  url.searchParams.set('page', number);
  return url;
};

/** Gitee says nothing about a next page: a page shorter than asked for is the last one. */
export function shortPageNext(perPage: number): NextPage {
  return (_page, current, items) => {
    if (items < perPage) return undefined;
    const url = new URL(current);
    url.searchParams.set('page', String(Number(url.searchParams.get('page') ?? '1') + 1));
    return url;
  };
}

/** Bitbucket: the body's `next` URL. */
export const bodyNext: NextPage = (page, current) => {
  const next = (page.json as { next?: unknown } | undefined)?.next;
  return typeof next === 'string' && next !== '' ? resolve(next, current) : undefined;
};

/** The target of the `rel="next"` entry of a Link header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2])?.[1].toLowerCase().split(/\s+/);
    if (rels?.includes('next')) return match[1];
  }
  return undefined;
}

function resolve(target: string, current: URL): URL | undefined {
  try {
    return new URL(target, current);
  } catch {
    return undefined;
  }
}
