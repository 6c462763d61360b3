import { Controller, Get, Logger } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createLogger } from '../logging/logger';
import { NestPinoLogger } from '../logging/nest-logger';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { AppError } from './app-error';

@Controller('boom')
class BoomController {
  @Get('bug')
  bug(): never {
    throw new TypeError(
      "Cannot read properties of undefined (reading 'secret_sealed') at /srv/app/internal.js",
    );
  }

  @Get('known')
  known(): never {
    throw new AppError('AUTHORIZATION_INVALID', 'The provider rejected the token');
  }
}

describe('AllExceptionsFilter', () => {
  let app: NestFastifyApplication;
  const logged: string[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [BoomController],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    }).compile();
    // The production logging path: Nest Logger -> NestPinoLogger -> pino (with its error serializer).
    const pino = createLogger('info', { write: (line: string) => void logged.push(line) });
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: new NestPinoLogger(pino),
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
    Logger.overrideLogger(false);
  });

  it('answers an unexpected error with a generic 500, leaking nothing, and logs it in full', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error_code: 'SVCSTG.REPO.0500', error_msg: 'Internal error' });
    expect(res.body).not.toMatch(/secret_sealed|internal\.js|TypeError/);
    const line = logged
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request failed');
    expect(line).toMatchObject({
      level: 50,
      errorCode: 'SVCSTG.REPO.0500',
      route: '/boom/bug',
      err: { type: 'TypeError' },
    });
    expect(JSON.stringify(line)).toContain('secret_sealed');
  });

  it('keeps the message of errors meant for the caller', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom/known' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error_code: 'SVCSTG.REPO.0451',
      error_msg: 'The provider rejected the token',
    });
  });
});
