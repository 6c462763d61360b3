import { ProviderResponse, ResponseHeaders } from '../http/provider-http';
import { bodyNext, gitlabNext, linkNext, nextLink, shortPageNext } from './paging';

const page = (headers: Record<string, string> = {}, body: unknown = []) =>
  new ProviderResponse(200, new ResponseHeaders(headers), Buffer.from(JSON.stringify(body)));
const current = new URL('https://api.example.com/v1/items?per_page=100&page=2');

describe('next-page rules', () => {
  it('nextLink: the rel="next" target among several relations, quoted or not', () => {
    expect(
      nextLink(
        '<https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"',
      ),
    ).toBe('https://api.github.com/x?page=3');
    expect(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel=next')).toBe(
      'https://a/x?page=3',
    );
    expect(nextLink('<https://a/x?page=9>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('linkNext resolves a relative target against the page read', () => {
    expect(linkNext(page({ link: '</v1/items?page=3>; rel="next"' }), current, 100)?.href).toBe(
      'https://api.example.com/v1/items?page=3',
    );
  });

  it('gitlabNext: Link first, else X-Next-Page (empty on the last page)', () => {
    expect(gitlabNext(page({ 'x-next-page': '3' }), current, 100)?.searchParams.get('page')).toBe(
      '3',
    );
    expect(gitlabNext(page({ 'x-next-page': '' }), current, 100)).toBeUndefined();
    expect(
      gitlabNext(
        page({
          link: '<https://api.example.com/v1/items?page_token=x>; rel="next"',
          'x-next-page': '',
        }),
        current,
        100,
      )?.searchParams.get('page_token'),
    ).toBe('x');
  });

  it('shortPageNext: a full page asks for the next, a short one ends the list', () => {
    const next = shortPageNext(100);
    expect(next(page(), current, 100)?.searchParams.get('page')).toBe('3');
    expect(next(page(), new URL('https://a/x?per_page=100'), 100)?.searchParams.get('page')).toBe(
      '2',
    );
    expect(next(page(), current, 99)).toBeUndefined();
  });

  it("bodyNext: Bitbucket's `next`", () => {
    expect(
      bodyNext(page({}, { values: [], next: 'https://api.bitbucket.org/2.0/x?page=2' }), current, 1)
        ?.href,
    ).toBe('https://api.bitbucket.org/2.0/x?page=2');
    expect(bodyNext(page({}, { values: [] }), current, 1)).toBeUndefined();
  });
});
