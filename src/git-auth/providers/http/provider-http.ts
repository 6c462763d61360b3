import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Agent, Dispatcher } from 'undici';
import { AppError } from '../../../common/errors/app-error';
import { gitAuthConfig, type GitAuthConfig } from '../../../config/git-auth.config';
import {
  HostNotAllowedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  ResponseTooLargeError,
} from '../provider-errors';
import { publicOnlyLookup } from './address-policy';
import { type ProviderCallKind, ProviderTelemetry } from './provider-telemetry';

/** GitHub and Gitee refuse requests without a User-Agent. */
const USER_AGENT = 'git-auth-service/1.0 (+ServiceStage git authorization)';

/** Token, user and list answers are far smaller; a larger one is not a provider we understand. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Statuses whose answers have no body (a WHATWG Response refuses one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

type Undici = typeof import('undici');
let undici: Undici | undefined;
/**
 * undici on the first provider call, not at start-up: ~110 modules, ~100 ms of CPU and ~6 MiB of heap that the
 * start-up, the probes, the list and the credential paths never use (issue 14). That first call pays it once.
 */
function loadUndici(): Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undici ??= require('undici') as Undici);
}

export interface ProviderRequest {
  /** Which provider and operation (metrics and traces): required, so that no call goes unlabelled. */
  readonly call: ProviderCallKind;
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** The host came from a caller (a self-hosted server): only public addresses, unless allowed. */
  readonly guarded?: boolean;
  /** The largest answer read (default 1 MiB); a larger one is ResponseTooLargeError. */
  readonly maxBytes?: number;
  /** Bound of this call instead of PROVIDER_TIMEOUT_MS (a refresh has its own, REFRESH_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** Response headers by lower-case name; repeated headers joined with ", ". */
export class ResponseHeaders {
  constructor(private readonly raw: Readonly<Record<string, string | string[] | undefined>>) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  toHeaders(): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.raw)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
        headers.append(name, v);
    }
    return headers;
  }
}

export class ProviderResponse {
  private parsed?: { value: unknown };

  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    readonly body: Buffer,
  ) {}

  /** Parsed JSON (on first use), or undefined when the body is not JSON. */
  get json(): unknown {
    this.parsed ??= { value: parseJson(this.body) };
    return this.parsed.value;
  }
}

/**
 * The one way this service talks to git providers: undici's pooled `request` (a keep-alive pool per origin),
 * bounded by PROVIDER_TIMEOUT_MS (or the call's own bound), never following redirects, always with a User-Agent, answers read up to a
 * bound, and failures turned into the provider errors the service understands. Callers put credentials in
 * headers or, where a provider wants them there (Gitee), in the query string: nothing here logs a URL.
 */
@Injectable()
export class ProviderHttp implements OnApplicationShutdown {
  /** Read at start-up, so that a missing PROVIDER_CA_FILE stops it; the agents are made on the first call. */
  private readonly ca?: string[];
  private agents?: { readonly trusted: Agent; readonly guarded: Agent };

  constructor(
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
    private readonly telemetry: ProviderTelemetry,
  ) {
    this.ca = config.caFile
      ? [...rootCertificates, readFileSync(config.caFile, 'utf8')]
      : undefined;
  }

  private dispatcher(guarded: boolean | undefined): Agent {
    if (!this.agents) {
      const { Agent } = loadUndici();
      const { ca } = this;
      this.agents = {
        trusted: new Agent({ connect: { ca } }),
        guarded: new Agent({
          connect: {
            ca,
            ...(this.config.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup() }),
          },
        }),
      };
    }
    return guarded ? this.agents.guarded : this.agents.trusted;
  }

  /** A WHATWG fetch for libraries that bring their own request building (oauth4webapi). */
  readonly fetch = async (url: string, init: ProviderRequest): Promise<Response> => {
    const answer = await this.request(url, init);
    return new Response(NULL_BODY_STATUSES.has(answer.status) ? null : answer.body, {
      status: answer.status,
      headers: answer.headers.toHeaders(),
    });
  };

  /** The single send path: every provider call is timed and traced here. */
  async request(url: string, init: ProviderRequest): Promise<ProviderResponse> {
    const method = init.method ?? 'GET';
    const timeoutMs = init.timeoutMs ?? this.config.providerTimeoutMs;
    // Before the bound is armed: the first call loads undici (synchronously, ~100 ms of CPU, seconds on a busy
    // machine), which must not count against the provider's time.
    const dispatcher = this.dispatcher(init.guarded);
    const finished = this.telemetry.started(init.call, method, url);
    // One bound on the whole call, answer and body included (undici's own timeouts bound each wait separately,
    // so a provider trickling its answer would outlive them). undici takes an EventEmitter as its signal; an
    // AbortSignal costs about 20 µs to make on Node 20, twice per OAuth flow (issue 14's profiles).
    const deadline = new EventEmitter();
    const timer = setTimeout(() => deadline.emit('abort'), timeoutMs);
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await loadUndici().request(url, {
          method,
          headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...init.headers },
          body: init.body,
          signal: deadline,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          dispatcher,
        });
        finished(response.statusCode);
      } catch (error) {
        const translated = this.translate(error, timeoutMs);
        finished(translated);
        throw translated;
      }
      const body = await this.readBounded(
        response,
        init.maxBytes ?? DEFAULT_MAX_BODY_BYTES,
        timeoutMs,
      );
      return new ProviderResponse(response.statusCode, new ResponseHeaders(response.headers), body);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readBounded(
    response: Dispatcher.ResponseData,
    maxBytes: number,
    timeoutMs: number,
  ): Promise<Buffer> {
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      response.body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    // 'data' events rather than an async iterator: one promise per answer instead of one per chunk.
    const body = response.body;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        body.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > maxBytes) {
            body.destroy();
            reject(new ResponseTooLargeError(maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        let ended = false;
        body.once('end', () => {
          ended = true;
          resolve();
        });
        body.once('error', reject);
        // Only when no 'end' came first: an Error costs its stack trace, and every answer closes.
        body.once('close', () => {
          if (!ended) reject(new ProviderUnavailableError('answer cut off'));
        });
      });
    } catch (error) {
      throw this.translate(error, timeoutMs);
    }
    return Buffer.concat(chunks, size);
  }

  private translate(error: unknown, timeoutMs: number): Error {
    if (error instanceof ProviderUnavailableError || error instanceof AppError) return error;
    const cause = (error as { cause?: unknown }).cause;
    const refused = [error, cause].find((e) => e instanceof HostNotAllowedError);
    if (refused) return new AppError('HOST_NOT_ALLOWED', refused.message);
    const name = (error as { name?: string }).name;
    const code = (error as { code?: string }).code ?? (cause as { code?: string })?.code;
    if (
      name === 'TimeoutError' ||
      name === 'AbortError' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT'
    )
      return new ProviderTimeoutError(timeoutMs);
    return new ProviderUnavailableError(`connection failed (${code ?? name ?? 'unknown'})`);
  }

  /**
   * Runs after Lifecycle drained requests and background work: a call still open here belongs to work cut off at
   * SHUTDOWN_TIMEOUT_MS, so it is aborted instead of awaited (close() would wait for it).
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.agents)
      await Promise.all([this.agents.trusted.destroy(), this.agents.guarded.destroy()]);
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
