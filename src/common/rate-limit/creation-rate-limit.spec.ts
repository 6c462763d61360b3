import { Controller, Get, Logger, Post } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { signJwt } from '../../../test/support/jwt';
import { AuthModule } from '../auth/auth.module';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { RateLimitModule } from './rate-limit.module';
import { CreationRateLimit } from './creation-rate-limit.decorator';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!';
const LIMIT = 2;

/** Stands in for the git-auth controller: two creating endpoints sharing one budget, one reading endpoint. */
@Controller('v1/:project_id/things')
class ThingsController {
  @Post('a')
  @CreationRateLimit()
  createA(): { created: true } {
    return { created: true };
  }

  @Post('b')
  @CreationRateLimit()
  createB(): { created: true } {
    return { created: true };
  }

  @Get()
  list(): [] {
    return [];
  }
}

describe('@CreationRateLimit()', () => {
  let app: NestFastifyApplication;
  const saved = { ...process.env };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    Object.assign(process.env, {
      AUTH_MODE: 'iam',
      AUTH_JWT_SECRET: SECRET,
      RATE_LIMIT_CREATE_PER_MINUTE: String(LIMIT),
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true }), AuthModule, RateLimitModule],
      controllers: [ThingsController],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    process.env = saved;
  });

  async function tokenFor(projectId: string): Promise<string> {
    return signJwt(
      { project_id: projectId },
      { alg: 'HS256', key: new TextEncoder().encode(SECRET) },
    );
  }

  async function post(projectId: string, path = 'a', token?: string) {
    const headers = token === undefined ? {} : { 'x-auth-token': token };
    return app.inject({ method: 'POST', url: `/v1/${projectId}/things/${path}`, headers });
  }

  it('tells the budget left, then answers 429 SVCSTG.REPO.0429 with Retry-After once a project used it, across endpoints', async () => {
    const token = await tokenFor('p1');
    const first = await post('p1', 'a', token);
    const second = await post('p1', 'b', token);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect([first, second].map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['1', '0']);
    expect(first.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(first.headers['x-ratelimit-reset'])).toBeLessThanOrEqual(60);
    const limited = await post('p1', 'a', token);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      error_code: 'SVCSTG.REPO.0429',
      error_msg: 'Too many requests',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('counts each project on its own', async () => {
    expect((await post('p2', 'a', await tokenFor('p2'))).statusCode).toBe(201);
  });

  it('runs after authentication: refused callers do not spend the budget', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      expect((await post('p3')).statusCode).toBe(401);
      expect((await post('p3', 'a', await tokenFor('other'))).statusCode).toBe(403);
    }
    const token = await tokenFor('p3');
    for (let i = 0; i < LIMIT; i++) expect((await post('p3', 'a', token)).statusCode).toBe(201);
    expect((await post('p3', 'a', token)).statusCode).toBe(429);
  });

  it('leaves undecorated endpoints alone', async () => {
    const token = await tokenFor('p1');
    const response = await app.inject({
      method: 'GET',
      url: '/v1/p1/things',
      headers: { 'x-auth-token': token },
    });
    expect(response.statusCode).toBe(200);
  });

  it('documents the 429 answer on decorated operations only', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const path = document.paths['/v1/{project_id}/things/a'];
    expect(Object.keys(path.post?.responses ?? {})).toContain('429');
    expect(
      Object.keys(document.paths['/v1/{project_id}/things'].get?.responses ?? {}),
    ).not.toContain('429');
  });
});
