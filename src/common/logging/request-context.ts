import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext(context: RequestContext, fn: () => void): void {
  storage.run(context, fn);
}

/** The id of the request being served, for log lines written far from the controller. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
