import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, fetch, type Response } from 'undici';
import { AppError } from '../../../common/errors/app-error';
import { gitAuthConfig, type GitAuthConfig } from '../../../config/git-auth.config';
import {
  HostNotAllowedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../provider-errors';
import { publicOnlyLookup } from './address-policy';
import { type ProviderCallKind, ProviderTelemetry } from './provider-telemetry';

/** GitHub and Gitee refuse requests without a User-Agent. */
const USER_AGENT = 'git-auth-service/1.0 (+ServiceStage git authorization)';

/** Provider answers we read are a few KiB; a larger one is not a provider we understand. */
const MAX_BODY_BYTES = 1024 * 1024;

interface ProviderRequest {
  /** Which provider and operation (metrics and traces): required, so that no call goes unlabelled. */
  readonly call: ProviderCallKind;
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The host came from a caller (a self-hosted server): only public addresses, unless allowed. */
  readonly guarded?: boolean;
  /** Bound of this call instead of PROVIDER_TIMEOUT_MS (a refresh has its own, REFRESH_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

interface ProviderResponse {
  readonly status: number;
  readonly headers: Headers | Response['headers'];
  /** Parsed JSON, or undefined when the body is not JSON. */
  readonly json: unknown;
}

/**
 * The one way this service talks to git providers: bounded by PROVIDER_TIMEOUT_MS (or the call's own bound), never following redirects,
 * always with a User-Agent, with failures turned into the provider errors the service understands.
 */
@Injectable()
export class ProviderHttp implements OnApplicationShutdown {
  private readonly trusted: Agent;
  private readonly guarded: Agent;

  constructor(
    @Inject(gitAuthConfig.KEY) private readonly config: GitAuthConfig,
    private readonly telemetry: ProviderTelemetry,
  ) {
    const ca = config.caFile
      ? [...rootCertificates, readFileSync(config.caFile, 'utf8')]
      : undefined;
    this.trusted = new Agent({ connect: { ca } });
    this.guarded = new Agent({
      connect: { ca, ...(config.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup() }) },
    });
  }

  /** A fetch for libraries that bring their own request building (oauth4webapi). */
  readonly fetch = (url: string, init: ProviderRequest): Promise<Response> => this.send(url, init);

  async request(url: string, init: ProviderRequest): Promise<ProviderResponse> {
    const response = await this.send(url, init);
    const text = await this.readBounded(response, init.timeoutMs ?? this.config.providerTimeoutMs);
    return { status: response.status, headers: response.headers, json: parseJson(text) };
  }

  /** The single send path: every provider call is timed and traced here. */
  private async send(url: string, init: ProviderRequest): Promise<Response> {
    const method = init.method ?? 'GET';
    const timeoutMs = init.timeoutMs ?? this.config.providerTimeoutMs;
    const finished = this.telemetry.started(init.call, method, url);
    try {
      const response = await fetch(url, {
        method,
        headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...init.headers },
        body: init.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: init.guarded ? this.guarded : this.trusted,
      });
      finished(response.status);
      return response;
    } catch (error) {
      const translated = this.translate(error, timeoutMs);
      finished(translated);
      throw translated;
    }
  }

  private async readBounded(response: Response, timeoutMs: number): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) {
      await response.body?.cancel();
      throw new ProviderUnavailableError(`response of ${declared} bytes is too large`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) throw new ProviderUnavailableError('response is too large');
        chunks.push(chunk);
      }
    } catch (error) {
      throw this.translate(error, timeoutMs);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private translate(error: unknown, timeoutMs: number): Error {
    if (error instanceof ProviderUnavailableError || error instanceof AppError) return error;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return new ProviderTimeoutError(timeoutMs);
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof HostNotAllowedError)
      return new AppError('HOST_NOT_ALLOWED', cause.message);
    const code = (cause as { code?: string } | undefined)?.code ?? name ?? 'unknown';
    return new ProviderUnavailableError(`connection failed (${code})`);
  }

  /**
   * Runs after Lifecycle drained requests and background work: a call still open here belongs to work cut off at
   * SHUTDOWN_TIMEOUT_MS, so it is aborted instead of awaited (close() would wait for it).
   */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.trusted.destroy(), this.guarded.destroy()]);
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
