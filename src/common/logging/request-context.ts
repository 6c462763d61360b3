import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallerIdentity } from '../auth/caller';

/**
 * What is known about the request being served, for code far from the controller: its id (log lines) and, once
 * the auth guard has run, who made it (the audit trail). One object per request, created with both fields so its
 * shape never changes; the guard fills `caller` in place instead of starting a new context.
 */
export interface RequestContext {
  readonly requestId: string;
  caller: CallerIdentity | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext(context: RequestContext, fn: () => void): void {
  storage.run(context, fn);
}

/** The id of the request being served, for log lines written far from the controller. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The request being served, or undefined outside one (start-up, background work, the CLI). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Called by the auth guard once it knows who the caller is. */
export function setRequestCaller(caller: CallerIdentity): void {
  const context = storage.getStore();
  if (context !== undefined) context.caller = caller;
}
