import type { Params } from './http';

/**
 * Offset paging as the providers do it: `page` from 1 and a page size capped at the provider's maximum (a larger
 * one is silently lowered, a missing one is the provider's default).
 */
export interface Page<T> {
  readonly items: T[];
  readonly page: number;
  readonly perPage: number;
  readonly lastPage: number;
  readonly total: number;
  readonly hasNext: boolean;
}

export function pageOf<T>(
  all: readonly T[],
  query: Params,
  sizing: { readonly param: string; readonly fallback: number; readonly max: number },
): Page<T> {
  const asked = Number(query[sizing.param]);
  const perPage =
    Number.isInteger(asked) && asked > 0 ? Math.min(asked, sizing.max) : sizing.fallback;
  const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    page,
    perPage,
    lastPage,
    total: all.length,
    hasNext: page < lastPage,
  };
}

/** `url` with `page` (and the page size) set; on `origin` when a test makes the provider point elsewhere. */
export function pageUrl(url: URL, page: number, origin?: string): string {
  const next = new URL(url);
  next.searchParams.set('page', String(page));
  if (origin) {
    const foreign = new URL(origin);
    next.protocol = foreign.protocol;
    next.host = foreign.host;
  }
  return next.href;
}

/** RFC 8288 `Link` with next/last (and prev/first) relations, as GitHub, Gitea and GitLab send it. */
export function linkHeader(url: URL, page: Page<unknown>, origin?: string): string | undefined {
  const links: string[] = [];
  if (page.hasNext) {
    links.push(`<${pageUrl(url, page.page + 1, origin)}>; rel="next"`);
    links.push(`<${pageUrl(url, page.lastPage)}>; rel="last"`);
  }
  if (page.page > 1) {
    links.push(`<${pageUrl(url, 1)}>; rel="first"`);
    links.push(`<${pageUrl(url, page.page - 1)}>; rel="prev"`);
  }
  return links.length === 0 ? undefined : links.join(', ');
}
