import { Logger } from '@nestjs/common';
import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../http/provider-http';
import { authorize, endpoint, isRateLimited } from '../profile-request';
import type { ProviderDescriptor } from '../provider-descriptor';
import {
  ProviderAnswerError,
  ProviderRejectedError,
  ProviderUnavailableError,
  ResponseTooLargeError,
} from '../provider-errors';
import type { NextPage } from './paging';
import { fileTooLarge } from './repo-errors';
import type { RepoContext } from './repo-model';

/** A page of a list is at most this large (GitHub's 100 repositories are ~600 KiB; a tree page more). */
const PAGE_MAX_BYTES = 16 * 1024 * 1024;
/** Room in a file's JSON answer for everything but its content. */
const FILE_ENVELOPE_BYTES = 64 * 1024;

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiRequest {
  readonly query?: Query;
  readonly headers?: Record<string, string>;
  readonly maxBytes?: number;
  /** Values cut out of the provider's reason should it echo them (a webhook secret), besides the credential. */
  readonly redact?: readonly string[];
}

/** The body of a write: JSON, or bytes already encoded in another media type (Bitbucket's multipart form). */
export type WriteBody =
  { readonly json: unknown } | { readonly contentType: string; readonly bytes: Buffer };

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A provider's REST API as one authorization sees it: URLs under the API base, the credential where the provider
 * takes it, the provider's answers checked (401 is the authorization failing; anything else that is not a success
 * is a ProviderAnswerError with the provider's reason), lists followed to their end. Shared by every strategy;
 * what differs between providers (paths, paging rule, answer shapes) is passed in.
 */
export class ProviderApi {
  private static readonly logger = new Logger('Repositories');
  private readonly origin: string;

  constructor(
    private readonly http: ProviderHttp,
    readonly provider: ProviderDescriptor,
    readonly ctx: RepoContext,
    /** Sent with every call (GitHub's Accept and API version). */
    private readonly defaultHeaders: Record<string, string> = {},
  ) {
    this.origin = new URL(ctx.target.apiUrl).origin;
  }

  /** `{api}{path}?{query}`; path segments from callers must already be encoded. */
  url(path: string, query: Query = {}): URL {
    const strings = Object.fromEntries(
      Object.entries(query).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
    );
    return endpoint(this.ctx.target.apiUrl, path, strings);
  }

  /** GET a JSON answer; anything but a 2xx is thrown (see the class comment). */
  async getJson(path: string | URL, request: ApiRequest = {}): Promise<unknown> {
    const answer = await this.get(path, request);
    const json = answer.json;
    if (json === undefined)
      throw new ProviderUnavailableError('answered something that is not JSON');
    return json;
  }

  /** GET; anything but a 2xx is thrown (see the class comment). */
  async get(path: string | URL, request: ApiRequest = {}): Promise<ProviderResponse> {
    return this.checked(await this.send(path, request));
  }

  /** A write, never retried; anything but a 2xx is thrown (see the class comment). */
  async write(
    method: WriteMethod,
    path: string | URL,
    body?: WriteBody,
    request: ApiRequest = {},
  ): Promise<ProviderResponse> {
    const encoded =
      body === undefined
        ? undefined
        : 'json' in body
          ? { type: 'application/json', bytes: JSON.stringify(body.json) }
          : { type: body.contentType, bytes: body.bytes };
    // Field by field and Object.assign rather than spreads (a new hidden class per call on Node.js 20).
    const answer = await this.send(path, {
      query: request.query,
      maxBytes: request.maxBytes,
      method,
      body: encoded?.bytes,
      headers: Object.assign({}, request.headers, encoded && { 'content-type': encoded.type }),
    });
    return this.checked(answer, request.redact);
  }

  /** The answer whatever its status (for strategies that read a provider's statuses themselves). */
  async send(
    path: string | URL,
    request: ApiRequest & Pick<ProviderRequest, 'method' | 'body'> = {},
  ): Promise<ProviderResponse> {
    const url = typeof path === 'string' ? this.url(path, request.query) : new URL(path);
    const credential = authorize(url, this.ctx.credential);
    return this.http.request(url.href, {
      call: { provider: this.provider.repoType, operation: this.ctx.operation },
      method: request.method,
      body: request.body,
      // Object.assign, not spreads: merging with spreads costs microseconds per call on Node.js 20.
      headers: Object.assign({}, this.defaultHeaders, request.headers, credential),
      guarded: this.ctx.target.guarded,
      maxBytes: request.maxBytes,
    });
  }

  /** 2xx passes; 401 is the authorization failing; anything else is what the provider said. */
  checked(answer: ProviderResponse, redact: readonly string[] = []): ProviderResponse {
    if (answer.status >= 200 && answer.status < 300) return answer;
    if (answer.status === 401) throw new ProviderRejectedError('unauthorized (HTTP 401)');
    throw new ProviderAnswerError(
      answer.status,
      this.reasonOf(answer, redact),
      retryAfterSeconds(answer),
      isRateLimited(answer.status, answer.headers),
    );
  }

  /**
   * Every item of a list: reads `first`, then each next page `next` names, until the list ends or
   * REPO_LIST_MAX_ITEMS (then stops and logs a warning). A next page is only fetched from the API's own origin,
   * so the credential goes nowhere else; a provider pointing elsewhere, or in a circle, has failed.
   */
  async collect<T>(
    first: URL,
    read: (json: unknown) => T[],
    next: NextPage,
    headers?: Record<string, string>,
  ): Promise<T[]> {
    const max = this.ctx.limits.maxListItems;
    const items: T[] = [];
    const seen = new Set<string>();
    let url: URL | undefined = first;
    while (url) {
      seen.add(url.href);
      const page = await this.get(url, { maxBytes: PAGE_MAX_BYTES, headers });
      const pageItems = read(page.json);
      items.push(...pageItems);
      const following: URL | undefined =
        pageItems.length === 0 ? undefined : next(page, url, pageItems.length);
      if (items.length >= max) {
        if (following || items.length > max) this.warnTruncated(first.pathname);
        return items.slice(0, max);
      }
      if (following && following.origin !== this.origin)
        throw new ProviderUnavailableError('its next page is on another origin; not followed');
      if (following && seen.has(following.href))
        throw new ProviderUnavailableError('its next page is a page already read');
      url = following;
    }
    return items;
  }

  /**
   * GET a file's JSON answer (content inline, base64), bounded by what REPO_MAX_FILE_BYTES needs; a larger answer
   * is the file being too large.
   */
  async getFileJson(path: string | URL, filePath: string, request: ApiRequest = {}) {
    const max = this.ctx.limits.maxFileBytes;
    const base64 = Math.ceil(max / 3) * 4;
    // GitHub breaks base64 every 60 characters; each break is 2 characters (`\n`) in JSON.
    const maxBytes = base64 + 2 * Math.ceil(base64 / 60) + FILE_ENVELOPE_BYTES;
    return this.bounded(filePath, () => this.getJson(path, { ...request, maxBytes }));
  }

  /** GET a file's raw bytes, at most REPO_MAX_FILE_BYTES. */
  async getRaw(path: string | URL, filePath: string, request: ApiRequest = {}): Promise<Buffer> {
    const maxBytes = this.ctx.limits.maxFileBytes;
    return this.bounded(
      filePath,
      async () => (await this.get(path, { ...request, maxBytes })).body,
    );
  }

  private async bounded<T>(filePath: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ResponseTooLargeError)
        throw fileTooLarge(filePath, this.ctx.limits.maxFileBytes);
      throw error;
    }
  }

  /** A list had more items than REPO_LIST_MAX_ITEMS: the caller gets the first ones, the operator a warning. */
  warnTruncated(path: string): void {
    ProviderApi.logger.warn({
      msg: 'list truncated at REPO_LIST_MAX_ITEMS',
      provider: this.provider.repoType,
      path,
      maxItems: this.ctx.limits.maxListItems,
    });
  }

  /** The provider's own short message, with the credential cut out should it be echoed. */
  private reasonOf(answer: ProviderResponse, redact: readonly string[]): string {
    const credential =
      this.ctx.credential.kind === 'basic'
        ? this.ctx.credential.password
        : this.ctx.credential.token;
    // Cut before shortening, so that no prefix of a secret survives the cut.
    let reason = messageOf(answer.json).replace(/\s+/g, ' ').trim();
    for (const secret of [credential, ...redact])
      if (secret) reason = reason.split(secret).join('[redacted]');
    return reason.slice(0, 200);
  }
}

/**
 * Where providers put their message: `message` (GitHub, GitLab, Gitee, Gitea), `error.message` (Bitbucket),
 * `error`; GitHub's validation failures say what failed in `errors[].message` (or `.code`), which is added.
 */
function messageOf(json: unknown): string {
  if (typeof json !== 'object' || json === null) return '';
  const body = json as Record<string, unknown>;
  let message = '';
  for (const value of [body.message, (body.error as { message?: unknown })?.message, body.error]) {
    if (typeof value === 'string') message = value;
    else if (typeof value === 'object' && value !== null) message = JSON.stringify(value);
    if (message) break;
  }
  const details = Array.isArray(body.errors)
    ? body.errors
        .map((e: unknown) => {
          const item = e as { message?: unknown; code?: unknown } | null;
          return typeof item?.message === 'string'
            ? item.message
            : typeof item?.code === 'string'
              ? item.code
              : '';
        })
        .filter((text) => text !== '')
    : [];
  return details.length > 0 ? `${message}: ${details.join('; ')}` : message;
}

/**
 * How long a rate-limited caller should wait: `Retry-After` (seconds or an HTTP date), else the reset time of
 * the provider's rate-limit headers (GitHub `x-ratelimit-reset`, GitLab `ratelimit-reset`: epoch seconds).
 */
export function retryAfterSeconds(
  answer: Pick<ProviderResponse, 'headers'>,
  now = Date.now(),
): number | undefined {
  const retryAfter = answer.headers.get('retry-after')?.trim();
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter);
  if (retryAfter && !Number.isNaN(Date.parse(retryAfter)))
    return Math.max(0, Math.ceil((Date.parse(retryAfter) - now) / 1000));
  const reset = answer.headers.get('x-ratelimit-reset') ?? answer.headers.get('ratelimit-reset');
  if (reset && /^\d+$/.test(reset.trim()))
    return Math.max(0, Number(reset.trim()) - Math.floor(now / 1000));
  return undefined;
}
