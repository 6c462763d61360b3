import {
  DatabaseConnectionLost,
  isDatabaseUnavailableError,
  isSocketError,
  isStalePreparedStatement,
} from './database-errors';

const adapterError = (cause: Record<string, unknown>, code = 'P2010') =>
  Object.assign(new Error('x'), {
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['unreachable server', adapterError({ kind: 'DatabaseNotReachable' }, 'P1001')],
    ['missing database', adapterError({ kind: 'DatabaseDoesNotExist' }, 'P1003')],
    ['administrator shutdown', adapterError({ kind: 'postgres', originalCode: '57P01' })],
    ['connection exception', adapterError({ kind: 'postgres', code: '08006' })],
    ['pool timeout', Object.assign(new Error('x'), { code: 'P2024' })],
    ['refused socket', Object.assign(new Error('x'), { code: 'ECONNREFUSED' })],
    [
      'wrapped cause',
      Object.assign(new Error('x'), {
        cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }),
      }),
    ],
    ['exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['connection cut by a stopped server', new Error('Connection terminated unexpectedly')],
    [
      'connection start-up timeout',
      new Error(
        'Connection terminated due to connection timeout: Connection terminated unexpectedly',
      ),
    ],
    ['frozen server (client-side statement timeout)', new Error('Query read timeout')],
    ['statement timeout', adapterError({ kind: 'postgres', originalCode: '57014' })],
    [
      'statement timeout on a direct pool query',
      Object.assign(new Error('canceling statement due to statement timeout'), {
        severity: 'ERROR',
        code: '57014',
      }),
    ],
    [
      'shutdown on a direct pool query',
      Object.assign(new Error('terminating connection'), { severity: 'FATAL', code: '57P01' }),
    ],
    ['idle transaction ended', adapterError({ kind: 'postgres', originalCode: '25P03' })],
    ['transaction not started in time', Object.assign(new Error('x'), { code: 'P2028' })],
    [
      'client initialisation',
      Object.assign(new Error('x'), { name: 'PrismaClientInitializationError' }),
    ],
  ])('recognises a %s', (_case, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['unique violation', adapterError({ kind: 'UniqueConstraintViolation' }, 'P2002')],
    ['syntax error', adapterError({ kind: 'postgres', originalCode: '42601' })],
    [
      'syntax error on a direct pool query',
      Object.assign(new Error('syntax error'), { severity: 'ERROR', code: '42601' }),
    ],
    ['plain error', new Error('boom')],
    ['caller aborting its request', Object.assign(new Error('aborted'), { code: 'ECONNRESET' })],
    ['non-error', 42],
  ])('does not take a %s for an outage', (_case, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});

describe('DatabaseConnectionLost', () => {
  const reset = () =>
    Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      errno: -104,
      syscall: 'read',
    });

  it('is an outage when a socket error comes from the database connection, not before it is wrapped', () => {
    expect(isSocketError(reset())).toBe(true);
    expect(isDatabaseUnavailableError(reset())).toBe(false);
    expect(isDatabaseUnavailableError(new DatabaseConnectionLost(reset()))).toBe(true);
  });

  it('does not take the server’s own errors for socket errors', () => {
    expect(isSocketError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});

describe('isStalePreparedStatement', () => {
  const serverError = (code: string, message: string) =>
    Object.assign(new Error(message), { severity: 'ERROR', code });

  it('recognises the server refusing a prepared statement whose result columns changed', () => {
    expect(
      isStalePreparedStatement(serverError('0A000', 'cached plan must not change result type')),
    ).toBe(true);
  });

  it('leaves other errors alone, of the same SQLSTATE or not from the server', () => {
    expect(isStalePreparedStatement(serverError('0A000', 'unsupported thing'))).toBe(false);
    expect(isStalePreparedStatement(serverError('23505', 'duplicate key value'))).toBe(false);
    expect(isStalePreparedStatement(new Error('cached plan must not change result type'))).toBe(
      false,
    );
    expect(isStalePreparedStatement(undefined)).toBe(false);
  });
});
