import { ERRORS, type ErrorKey } from '../../src/common/errors/error-codes';
import type { TestResponse } from './test-app';

/** Asserts a `SVCSTG.REPO` error response: status, code, JSON content type and a request id. */
export function expectError(
  response: TestResponse,
  key: ErrorKey,
  message?: string | RegExp,
): void {
  expect({
    status: response.status,
    code: (response.body as { error_code?: string })?.error_code,
  }).toEqual({
    status: ERRORS[key].status,
    code: ERRORS[key].code,
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-request-id')).toBeTruthy();
  const body = response.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error_code', 'error_msg']);
  expect(typeof body.error_msg).toBe('string');
  if (message !== undefined) expect(body.error_msg).toMatch(message);
}
