import { AppError } from '../../../common/errors/app-error';
import { GitHubStrategy } from '../github.strategy';
import {
  ProviderAnswerError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../provider-errors';
import { toRepoAppError } from './repo-errors';

const github = GitHubStrategy.descriptor;
const answer = (status: number, reason = '', rateLimited = false, retryAfter?: number) =>
  toRepoAppError(
    github,
    new ProviderAnswerError(status, reason, retryAfter, rateLimited),
  ) as AppError;

describe("toRepoAppError: the provider's answer, mapped", () => {
  it.each([
    [403, 'Must have admin rights', 'PROVIDER_FORBIDDEN'],
    [404, 'Not Found', 'REPO_NOT_FOUND'],
    [410, 'Gone', 'REPO_NOT_FOUND'],
    [409, 'is at 1234 but expected 5678', 'STALE_SHA'],
    [422, 'Validation Failed', 'INVALID_PARAMETER'],
    [400, 'Bad request', 'INVALID_PARAMETER'],
    [500, 'oops', 'PROVIDER_UNAVAILABLE'],
    [302, '', 'PROVIDER_UNAVAILABLE'],
  ] as const)('HTTP %s (%s) is %s', (status, reason, key) => {
    expect(answer(status, reason).key).toBe(key);
  });

  it('"already exists" answers are 0403 whatever their status (Gitea: 409)', () => {
    expect(answer(422, 'Reference already exists').key).toBe('ALREADY_EXISTS');
    expect(answer(409, 'The repository with the same name already exists.').key).toBe(
      'ALREADY_EXISTS',
    );
    expect(answer(400, 'Tag name has already been taken').key).toBe('ALREADY_EXISTS');
  });

  it("a rate limit is 0457 with the provider's wait as Retry-After (60 s when it says none)", () => {
    const limited = answer(403, 'API rate limit exceeded', true, 42);
    expect(limited.key).toBe('PROVIDER_RATE_LIMITED');
    expect(limited.headers).toEqual({ 'retry-after': '42' });
    expect(answer(429, '', true).headers).toEqual({ 'retry-after': '60' });
  });

  it("keeps the provider's reason in the message, a 5xx's body out of it", () => {
    expect(answer(403, 'insufficient_scope').message).toMatch(/GitHub.*insufficient_scope/);
    expect(answer(502, '<html>secret page</html>').message).not.toContain('secret page');
  });

  it('outages and timeouts are 0502 and 0504; our own errors pass through', () => {
    expect((toRepoAppError(github, new ProviderUnavailableError('x')) as AppError).key).toBe(
      'PROVIDER_UNAVAILABLE',
    );
    expect((toRepoAppError(github, new ProviderTimeoutError(10)) as AppError).key).toBe(
      'PROVIDER_TIMEOUT',
    );
    const own = new AppError('FILE_TOO_LARGE');
    expect(toRepoAppError(github, own)).toBe(own);
  });
});
