import { Injectable } from '@nestjs/common';
import { AppError } from '../../../common/errors/app-error';
import {
  Metrics,
  type ProviderCallOutcome,
  type RefreshOutcome,
} from '../../../common/metrics/metrics';
import { tracingHooks } from '../../../common/tracing/tracing-hooks';
import { ProviderRejectedError, ProviderTimeoutError } from '../provider-errors';

/** The repository operations (their SDK ids), each of whose provider calls carries its name. */
export const REPOSITORY_OPERATIONS = [
  'listNamespaces',
  'showProjectDetail',
  'listProjects',
  'listBranches',
  'listTags',
  'listCommits',
  'listTrees',
  'showContent',
  'createProject',
  'createTag',
  'deleteTag',
  'listHooks',
  'createHook',
  'deleteHook',
  'createFile',
  'updateFile',
  'deleteFile',
] as const;
export type RepositoryOperation = (typeof REPOSITORY_OPERATIONS)[number];

/** What a call to a provider is for; a bounded set, so it can label metrics. */
export type ProviderOperation =
  'exchange_code' | 'refresh' | 'revoke' | 'profile' | RepositoryOperation;

/** Which provider a call goes to and why: every ProviderHttp call names one. */
export interface ProviderCallKind {
  /** The provider's repo type (a registered provider, never a host a caller named). */
  readonly provider: string;
  readonly operation: ProviderOperation;
}

/** Ends the observation of a call with the answer's status or the error it failed with. */
export type CallFinished = (result: number | Error) => void;

export function outcomeOf(result: number | Error): ProviderCallOutcome {
  if (typeof result === 'number') {
    if (result < 300) return '2xx';
    if (result < 400) return '3xx';
    return result < 500 ? '4xx' : '5xx';
  }
  if (result instanceof ProviderTimeoutError) return 'timeout';
  if (result instanceof AppError && result.key === 'HOST_NOT_ALLOWED') return 'refused';
  return 'error';
}

/**
 * Times every provider call into the provider histogram and, with tracing on, wraps it in a client span. The span
 * carries the provider, the operation and the URL without its query (Gitee takes its token in the query).
 */
@Injectable()
export class ProviderTelemetry {
  private readonly tracing = tracingHooks();

  constructor(private readonly metrics: Metrics) {}

  started(kind: ProviderCallKind, method: string, url: string): CallFinished {
    const start = performance.now();
    const endSpan = this.tracing?.startClientSpan(`${kind.provider} ${kind.operation}`, {
      'git_auth.provider': kind.provider,
      'git_auth.operation': kind.operation,
      'http.request.method': method,
      ...urlAttributes(url),
    });
    return (result) => {
      const outcome = outcomeOf(result);
      this.metrics.providerCall(
        kind.provider,
        kind.operation,
        outcome,
        (performance.now() - start) / 1000,
      );
      endSpan?.(
        outcome !== '2xx' && outcome !== '3xx',
        typeof result === 'number'
          ? { 'git_auth.outcome': outcome, 'http.response.status_code': result }
          : { 'git_auth.outcome': outcome, 'error.type': result.name },
      );
    };
  }
}

function urlAttributes(url: string): Record<string, string | number> {
  if (!URL.canParse(url)) return {};
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return {
    'server.address': parsed.hostname,
    'server.port': Number(port),
    'url.full': `${parsed.origin}${parsed.pathname}`,
  };
}

/** A token refresh at a provider, counted by its outcome (a refusal means the grant is dead). */
export async function countedRefresh<T>(
  metrics: Metrics,
  provider: string,
  refresh: Promise<T>,
): Promise<T> {
  try {
    const tokens = await refresh;
    metrics.refresh(provider, 'success');
    return tokens;
  } catch (error) {
    metrics.refresh(provider, refreshOutcome(error));
    throw error;
  }
}

function refreshOutcome(error: unknown): RefreshOutcome {
  if (error instanceof ProviderRejectedError) return 'rejected';
  if (error instanceof ProviderTimeoutError) return 'timeout';
  return 'error';
}
