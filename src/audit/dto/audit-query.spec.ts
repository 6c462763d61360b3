import { AppError } from '../../common/errors/app-error';
import { encodeCursor } from '../domain/audit-cursor';
import { AUDIT_DEFAULT_LIMIT, parseAuditQuery } from './audit-query';

function refusal(query: Record<string, unknown>): AppError {
  try {
    parseAuditQuery(query);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('audit list query', () => {
  it('defaults: every event, 50 per page, from the newest', () => {
    expect(parseAuditQuery({})).toEqual({
      name: undefined,
      operation: undefined,
      limit: AUDIT_DEFAULT_LIMIT,
      after: undefined,
    });
    expect(parseAuditQuery({ name: '', operation: '', limit: '', cursor: '' }).limit).toBe(50);
  });

  it('takes a name, an operation, a limit up to 200 and a cursor', () => {
    const position = { createdAt: new Date(1764490760123), id: 7n };
    expect(
      parseAuditQuery({
        name: 'my-github',
        operation: 'showCredential',
        limit: '200',
        cursor: encodeCursor(position),
      }),
    ).toEqual({ name: 'my-github', operation: 'showCredential', limit: 200, after: position });
    expect(parseAuditQuery({ limit: '1' }).limit).toBe(1);
  });

  it.each([
    [
      'an unknown operation',
      { operation: 'dropTable' },
      /operation must be one of showCredential, createProject/,
    ],
    ['an operation in another case', { operation: 'showcredential' }, /operation must be one of/],
    ['a name breaking the name rule', { name: 'a b' }, /name must be 4-63 characters/],
    ['limit 0', { limit: '0' }, /limit must be an integer from 1 to 200/],
    ['limit 201', { limit: '201' }, /limit must be an integer from 1 to 200/],
    ['limit 1e2', { limit: '1e2' }, /limit must be/],
    ['limit -5', { limit: '-5' }, /limit must be/],
    ['limit 007', { limit: '007' }, /limit must be/],
    ['a repeated parameter', { name: ['my-github', 'other'] }, /name is repeated/],
    ['a malformed cursor', { cursor: 'not-a-cursor' }, /cursor must be/],
  ])('refuses %s with 0400', (_what, query, message) => {
    const error = refusal(query);
    expect(error.code).toBe('SVCSTG.REPO.0400');
    expect(error.message).toMatch(message);
  });
});
