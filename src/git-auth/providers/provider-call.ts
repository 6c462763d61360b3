import { AppError } from '../../common/errors/app-error';
import type { ErrorKey } from '../../common/errors/error-codes';
import type { ProviderDescriptor } from './provider-descriptor';
import {
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from './provider-errors';

/**
 * Runs a provider call and turns its failure into the caller's error: `rejected` says what a refusal means in
 * this context (a bad code is 0402, a bad token 0451); outages are 502 and timeouts 504 everywhere.
 */
export async function providerCall<T>(
  provider: ProviderDescriptor,
  call: () => Promise<T>,
  rejected: { key: ErrorKey; message: string },
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProviderAppError(provider, error, rejected);
  }
}

/** Outages and timeouts become 502/504; a refusal becomes `rejected` when given, else it passes through. */
export function toProviderAppError(
  provider: ProviderDescriptor,
  error: unknown,
  rejected?: { key: ErrorKey; message: string },
): unknown {
  const name = provider.displayName;
  if (error instanceof ProviderRejectedError && rejected) {
    return new AppError(rejected.key, `${rejected.message} (${name}: ${error.reason})`);
  }
  if (error instanceof ProviderTimeoutError) {
    return new AppError('PROVIDER_TIMEOUT', `${name} did not answer within ${error.timeoutMs} ms`);
  }
  if (error instanceof ProviderUnavailableError) {
    return new AppError(
      'PROVIDER_UNAVAILABLE',
      `${name} is unreachable or failed: ${error.detail}`,
    );
  }
  return error;
}
