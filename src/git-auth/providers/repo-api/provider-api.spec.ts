import { Logger } from '@nestjs/common';
import {
  ProviderResponse,
  ResponseHeaders,
  type ProviderHttp,
  type ProviderRequest,
} from '../http/provider-http';
import { GitHubStrategy } from '../github.strategy';
import { GiteeStrategy } from '../gitee.strategy';
import {
  ProviderAnswerError,
  ProviderRejectedError,
  ProviderUnavailableError,
  ResponseTooLargeError,
} from '../provider-errors';
import type { ProviderCredential } from '../repo-provider.strategy';
import { listOf } from './answers';
import { linkNext } from './paging';
import { ProviderApi, retryAfterSeconds } from './provider-api';
import type { RepoContext } from './repo-model';

const API = 'https://api.example.com/v3';

/** A provider's HTTP in memory: answers by URL, recording what was asked. */
class Answers {
  readonly asked: { url: string; init: ProviderRequest }[] = [];
  constructor(private readonly byUrl: (url: URL) => ProviderResponse | Error) {}

  asHttp(): ProviderHttp {
    return {
      request: (url: string, init: ProviderRequest) => {
        this.asked.push({ url, init });
        const answer = this.byUrl(new URL(url));
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    } as unknown as ProviderHttp;
  }
}

const json = (body: unknown, headers: Record<string, string> = {}, status = 200) =>
  new ProviderResponse(status, new ResponseHeaders(headers), Buffer.from(JSON.stringify(body)));

function api(
  answers: Answers,
  options: { maxListItems?: number; credential?: ProviderCredential } = {},
): ProviderApi {
  const ctx: RepoContext = {
    target: { webUrl: 'https://example.com', apiUrl: API, guarded: false },
    credential: options.credential ?? { kind: 'bearer', token: 'tok-secret' },
    login: 'octo',
    limits: { maxListItems: options.maxListItems ?? 1000, maxFileBytes: 1024 },
    operation: 'listBranches',
  };
  return new ProviderApi(answers.asHttp(), GitHubStrategy.descriptor, ctx);
}

/** Pages of `size` numbers up to `total`, linked with `Link` on `origin`. */
function numbered(total: number, size: number, origin = 'https://api.example.com') {
  return new Answers((url) => {
    const page = Number(url.searchParams.get('page') ?? '1');
    const items = Array.from({ length: total }, (_, i) => i).slice((page - 1) * size, page * size);
    const more = page * size < total;
    return json(items, more ? { link: `<${origin}/v3/n?page=${page + 1}>; rel="next"` } : {});
  });
}

const numbers = (body: unknown) => listOf(body).map(Number);

describe('ProviderApi', () => {
  it('puts the credential where the provider takes it: a header, or (Gitee) the query', async () => {
    const answers = new Answers(() => json({}));
    await api(answers).getJson('/user');
    expect(answers.asked[0].init.headers?.authorization).toBe('Bearer tok-secret');
    const gitee = new Answers(() => json({}));
    const credential = new GiteeStrategy(undefined as never, undefined as never).apiCredential(
      'oauth',
      'gitee-tok',
    );
    await api(gitee, { credential }).getJson('/user', { query: { page: 2 } });
    const url = new URL(gitee.asked[0].url);
    expect(url.searchParams.get('access_token')).toBe('gitee-tok');
    expect(url.searchParams.get('page')).toBe('2');
    expect(gitee.asked[0].init.headers?.authorization).toBeUndefined();
  });

  it("401 is the authorization failing; other refusals carry the provider's reason, without the token", async () => {
    await expect(api(new Answers(() => json({}, {}, 401))).getJson('/x')).rejects.toBeInstanceOf(
      ProviderRejectedError,
    );
    const echoed = new Answers(() => json({ message: 'token tok-secret lacks repo' }, {}, 403));
    const error = await api(echoed)
      .getJson('/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAnswerError);
    expect((error as ProviderAnswerError).reason).toBe('token [redacted] lacks repo');
    expect((error as ProviderAnswerError).rateLimited).toBe(false);
  });

  it('recognizes rate limits: 429, or 403 with x-ratelimit-remaining 0', async () => {
    const limited = new Answers(() =>
      json({ message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0' }, 403),
    );
    const error = (await api(limited)
      .getJson('/x')
      .catch((e: unknown) => e)) as ProviderAnswerError;
    expect(error.rateLimited).toBe(true);
  });

  describe('collect', () => {
    it('follows next pages to the end', async () => {
      const answers = numbered(250, 100);
      const all = await api(answers).collect(new URL(`${API}/n`), numbers, linkNext);
      expect(all).toEqual(Array.from({ length: 250 }, (_, i) => i));
      expect(answers.asked).toHaveLength(3);
    });

    it('stops at REPO_LIST_MAX_ITEMS with a warning, reading no further page', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        const answers = numbered(1000, 100);
        const all = await api(answers, { maxListItems: 150 }).collect(
          new URL(`${API}/n`),
          numbers,
          linkNext,
        );
        expect(all).toHaveLength(150);
        expect(answers.asked).toHaveLength(2);
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ msg: 'list truncated at REPO_LIST_MAX_ITEMS', maxItems: 150 }),
        );
      } finally {
        warn.mockRestore();
      }
    });

    it('never follows a next page on another origin', async () => {
      const answers = numbered(250, 100, 'https://evil.example.net');
      await expect(api(answers).collect(new URL(`${API}/n`), numbers, linkNext)).rejects.toThrow(
        /another origin/,
      );
      expect(answers.asked.map((a) => new URL(a.url).host)).toEqual(['api.example.com']);
    });

    it('stops a provider that links back to a page already read', async () => {
      const answers = new Answers(() => json([1], { link: `<${API}/n>; rel="next"` }));
      await expect(api(answers).collect(new URL(`${API}/n`), numbers, linkNext)).rejects.toThrow(
        ProviderUnavailableError,
      );
      expect(answers.asked).toHaveLength(1);
    });

    it('an empty page ends the list even with a next link', async () => {
      const answers = new Answers(() => json([], { link: `<${API}/n?page=2>; rel="next"` }));
      expect(await api(answers).collect(new URL(`${API}/n`), numbers, linkNext)).toEqual([]);
    });
  });

  it('a file answer over its bound is 0458, named after the file', async () => {
    const answers = new Answers(() => new ResponseTooLargeError(10));
    await expect(api(answers).getRaw('/raw', 'big.bin')).rejects.toMatchObject({
      key: 'FILE_TOO_LARGE',
      message: expect.stringContaining('big.bin') as unknown,
    });
    expect(answers.asked[0].init.maxBytes).toBe(1024);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const headers = (h: Record<string, string>) => ({ headers: new ResponseHeaders(h) });

  it('Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterSeconds(headers({ 'retry-after': '17' }), now)).toBe(17);
    expect(
      retryAfterSeconds(headers({ 'retry-after': 'Sat, 28 Nov 2026 12:01:00 GMT' }), now),
    ).toBe(60);
  });

  it("else the rate limit's reset (GitHub, GitLab: epoch seconds)", () => {
    const reset = String(now / 1000 + 90);
    expect(retryAfterSeconds(headers({ 'x-ratelimit-reset': reset }), now)).toBe(90);
    expect(retryAfterSeconds(headers({ 'ratelimit-reset': reset }), now)).toBe(90);
    expect(retryAfterSeconds(headers({}), now)).toBeUndefined();
  });
});
