import { AppError } from '../../../common/errors/app-error';
import { ProviderTimeoutError, ProviderUnavailableError } from '../provider-errors';
import { outcomeOf } from './provider-telemetry';

describe('outcomeOf', () => {
  it.each([
    [200, '2xx'],
    [204, '2xx'],
    [302, '3xx'],
    [401, '4xx'],
    [429, '4xx'],
    [503, '5xx'],
    [new ProviderTimeoutError(1000), 'timeout'],
    [new AppError('HOST_NOT_ALLOWED'), 'refused'],
    [new ProviderUnavailableError('connection failed (ECONNREFUSED)'), 'error'],
    [new Error('anything else'), 'error'],
  ])('%p → %s', (result, outcome) => {
    expect(outcomeOf(result)).toBe(outcome);
  });
});
