import { randomBytes } from 'node:crypto';
import { runCli } from '../src/cli/run-cli';
import { PrismaService } from '../src/database/prisma.service';
import { USER, startFakeProviders, type FakeProviders } from './support/providers';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const OLD = `old:${randomBytes(32).toString('base64')}`;
const NEW = `new:${randomBytes(32).toString('base64')}`;

describe('token encryption key rotation', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  let t: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    providers = await startFakeProviders();
  });

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  afterAll(async () => {
    await providers?.stop();
    await db?.drop();
  });

  const start = async (keys: string) => {
    t = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'none',
      TOKEN_ENCRYPTION_KEYS: keys,
      ...providers.env,
    });
    return t;
  };
  const credential = (app: TestApp, name: string) =>
    app.request<{ token: string }>('POST', `/v1/${PROJECT}/git/auths/${name}/credential`);

  it('keeps every secret readable: old key → old+new → re-sealed → new key only', async () => {
    const pat = providers.fakes.gitlab.issuePersonalToken(USER);
    let app = await start(OLD);
    expect(
      (
        await app.request('POST', `/v1/${PROJECT}/git/auths/gitlab/personal`, {
          body: { name: 'pat-1', token: pat },
        })
      ).status,
    ).toBe(200);
    const redirect = await app.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/bitbucket/redirect`,
    );
    const { code, state } = await providers.fakes.bitbucket.authorize(redirect.body.url, USER);
    expect(
      (
        await app.request('POST', `/v1/${PROJECT}/git/auths/bitbucket/oauth`, {
          body: { name: 'oauth-1', code, state },
        })
      ).status,
    ).toBe(200);
    const bitbucketToken = (await credential(app, 'oauth-1')).body.token;
    await app.close();

    app = await start(`${NEW},${OLD}`);
    expect((await credential(app, 'pat-1')).body.token).toBe(pat);
    // While the service runs, as an operator would: `node dist/cli.js keys rotate` with its configuration.
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(['keys', 'rotate'], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    expect({ status, out, err }).toEqual({
      status: 0,
      out: [
        'Key new: re-sealed 2 authorization(s), 0 changed meanwhile (run again), 0 already current, ' +
          '0 pending OAuth state(s) dropped.',
      ],
      err: [],
    });
    const prisma = app.app.get(PrismaService);
    expect((await prisma.authorization.findMany()).map((r) => r.keyId)).toEqual(['new', 'new']);
    await app.close();

    app = await start(NEW);
    expect((await credential(app, 'pat-1')).body.token).toBe(pat);
    expect((await credential(app, 'oauth-1')).body.token).toBe(bitbucketToken);
  });
});
