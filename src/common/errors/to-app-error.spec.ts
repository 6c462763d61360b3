import { BadRequestException, NotFoundException } from '@nestjs/common';
import { AppError } from './app-error';
import { ERRORS } from './error-codes';
import { toAppError } from './to-app-error';

function fastifyError(code: string, statusCode: number): Error {
  return Object.assign(new Error('fastify'), { code, statusCode });
}

describe('error table', () => {
  it('gives every error its own SVCSTG.REPO code', () => {
    const codes = Object.values(ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^SVCSTG\.REPO\.\d{4}$/);
  });

  it('keeps the documented ServiceStage codes and their meaning', () => {
    expect(ERRORS.INVALID_PARAMETER.code).toBe('SVCSTG.REPO.0400');
    expect(ERRORS.REPO_TYPE_NOT_SUPPORTED.code).toBe('SVCSTG.REPO.0401');
    expect(ERRORS.OAUTH_CODE_OR_STATE_INVALID.code).toBe('SVCSTG.REPO.0402');
    expect(ERRORS.ALREADY_EXISTS.code).toBe('SVCSTG.REPO.0403');
    expect(ERRORS.AUTHORIZATION_NOT_FOUND.code).toBe('SVCSTG.REPO.0450');
    expect(ERRORS.AUTHORIZATION_INVALID.code).toBe('SVCSTG.REPO.0451');
    expect(ERRORS.CLONE_URL_INVALID.code).toBe('SVCSTG.REPO.0452');
  });
});

describe('toAppError', () => {
  it('passes our own errors through', () => {
    const error = new AppError('ALREADY_EXISTS', 'taken');
    expect(toAppError(error)).toBe(error);
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'INVALID_PARAMETER'],
    ['FST_ERR_SOMETHING_NEW', 400, 'INVALID_PARAMETER'],
  ] as const)('maps Fastify %s to %s', (code, status, key) => {
    expect(toAppError(fastifyError(code, status))?.key).toBe(key);
  });

  it('maps Nest HTTP exceptions by status, without echoing their text', () => {
    const notFound = toAppError(new NotFoundException('Cannot GET /secret?code=1'));
    expect(notFound?.key).toBe('ROUTE_NOT_FOUND');
    expect(notFound?.message).not.toContain('code=1');
    expect(toAppError(new BadRequestException())?.key).toBe('INVALID_PARAMETER');
  });

  it('recognises a database outage', () => {
    const prismaError = Object.assign(new Error('x'), {
      code: 'P1001',
      meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
    });
    expect(toAppError(prismaError)?.key).toBe('UNAVAILABLE');
  });

  it('leaves anything else to the generic 500', () => {
    expect(toAppError(new TypeError('x is undefined'))).toBeUndefined();
    expect(toAppError('a string')).toBeUndefined();
  });
});
