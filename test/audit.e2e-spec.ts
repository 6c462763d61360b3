import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError } from './support/errors';
import { signJwt } from './support/jwt';
import { kindsAccepting, startFakeProviders, USER, type FakeProviders } from './support/providers';
import { sdkSign, wirePath } from './support/signing';
import { startTestApp, type TestApp, type TestResponse } from './support/test-app';
import { createTestDatabase, type TestDatabase, withConnection } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const PAGING_PROJECT = '11111111111111111111111111111111';
const FOREIGN_PROJECT = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const AK = 'AUDITAK1234567890ABC';
const SK = 'AUDITSK0987654321abcdefAUDITSK0987654321';
const FOREIGN_AK = 'FOREIGNAK12345678901';
const FOREIGN_SK = 'FOREIGNSK0987654321abcdefFOREIGNSK098765';
const HS_SECRET = 'an-hs256-secret-that-is-long-enough-0123456789';
const JWT_SUBJECT = 'svc-deployer';
/** Any provider that takes personal tokens: the audit trail does not depend on the provider. */
const KIND = kindsAccepting('personal')[0];

interface AuditEventBody {
  id: string;
  name: string;
  operation: string;
  repository: string | null;
  ref: string | null;
  path: string | null;
  hook_id: string | null;
  caller_scheme: string;
  caller_subject: string;
  request_id: string;
  outcome: string;
  error_code: string | null;
  create_time: number;
  finish_time: number | null;
}

interface AuditListBody {
  events: AuditEventBody[];
  next_cursor: string | null;
}

/**
 * The audit trail over HTTP with caller authentication on (AUTH_MODE=iam): what the credential endpoint records
 * and who it names, that no token leaves unrecorded, and the list endpoint's paging, filters and isolation.
 */
describe('audit trail: credential recording and GET /git/audit', () => {
  let db: TestDatabase;
  let providers: FakeProviders;
  let t: TestApp;
  let dir: string;
  /** Every token the credential endpoint handed out in this file: none may be in the audit table. */
  const handedOut: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'git-auth-audit-'));
    const keysFile = join(dir, 'access-keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify([
        { ak: AK, sk: SK, project_ids: [PROJECT, PAGING_PROJECT] },
        { ak: FOREIGN_AK, sk: FOREIGN_SK, project_ids: [FOREIGN_PROJECT] },
      ]),
    );
    db = await createTestDatabase();
    providers = await startFakeProviders();
    t = await startTestApp({
      DATABASE_URL: db.url,
      AUTH_MODE: 'iam',
      AUTH_ACCESS_KEYS_FILE: keysFile,
      AUTH_JWT_SECRET: HS_SECRET,
      ...providers.env,
    });
  });

  afterAll(async () => {
    await t?.close();
    await providers?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Call {
    query?: Record<string, string>;
    body?: unknown;
    ak?: string;
    sk?: string;
    headers?: Record<string, string>;
  }

  /** A request signed with the official SDK signer, as a Huawei Cloud SDK client sends it. */
  function signed<T>(method: string, path: string, call: Call = {}): Promise<TestResponse<T>> {
    const headers = sdkSign({
      endpoint: t.baseUrl,
      method,
      path,
      query: call.query,
      body: call.body,
      ak: call.ak ?? AK,
      sk: call.sk ?? SK,
      projectId: path.split('/')[2],
      headers: call.headers,
    });
    return t.request<T>(method, wirePath(path, call.query), {
      rawBody: call.body === undefined ? undefined : JSON.stringify(call.body),
      headers,
    });
  }

  const auditOf = (project: string, query: Record<string, string> = {}, call: Call = {}) =>
    signed<AuditListBody>('GET', `/v1/${project}/git/audit`, { ...call, query });

  async function connect(name: string, project = PROJECT): Promise<void> {
    const token = providers.fakes[KIND].issuePersonalToken(USER);
    const res = await signed('POST', `/v1/${project}/git/auths/${KIND}/personal`, {
      body: { name, token },
    });
    expect(res.status).toBe(200);
  }

  async function credential(
    name: string,
    requestId: string,
    project = PROJECT,
  ): Promise<TestResponse<{ token?: string }>> {
    const res = await signed<{ token?: string }>(
      'POST',
      `/v1/${project}/git/auths/${name}/credential`,
      { headers: { 'X-Request-Id': requestId } },
    );
    if (typeof res.body?.token === 'string') handedOut.push(res.body.token);
    return res;
  }

  const sql = <T>(text: string, values: unknown[] = []) =>
    withConnection(db.url, async (c) => (await c.query(text, values)).rows as T[]);

  describe('the credential endpoint', () => {
    beforeAll(() => connect('audited'));

    it('records the credential it hands out, naming the AK/SK caller and the request', async () => {
      const before = Date.now();
      const res = await credential('audited', 'audit-e2e-aksk-1');
      expect(res.status).toBe(200);
      expect(typeof res.body.token).toBe('string');

      const list = await auditOf(PROJECT, { name: 'audited' });
      expect(list.status).toBe(200);
      const [event] = list.body.events;
      expect(event).toEqual({
        id: expect.stringMatching(/^[1-9]\d*$/) as string,
        name: 'audited',
        operation: 'showCredential',
        repository: null,
        ref: null,
        path: null,
        hook_id: null,
        caller_scheme: 'aksk',
        caller_subject: AK,
        request_id: 'audit-e2e-aksk-1',
        outcome: 'succeeded',
        error_code: null,
        create_time: expect.any(Number) as number,
        finish_time: event.create_time,
      });
      // The database's clock and this process's agree within a few seconds on one machine.
      expect(event.create_time).toBeGreaterThan(before - 5000);
      expect(event.create_time).toBeLessThan(Date.now() + 5000);
    });

    it('names the JWT subject of an X-Auth-Token caller', async () => {
      const jwt = await signJwt(
        { sub: JWT_SUBJECT, project_id: PROJECT },
        { alg: 'HS256', key: Buffer.from(HS_SECRET) },
      );
      const res = await t.request<{ token: string }>(
        'POST',
        `/v1/${PROJECT}/git/auths/audited/credential`,
        { headers: { 'X-Auth-Token': jwt, 'X-Request-Id': 'audit-e2e-jwt-1' } },
      );
      expect(res.status).toBe(200);
      handedOut.push(res.body.token);
      const [event] = (await auditOf(PROJECT, { name: 'audited' })).body.events;
      expect(event).toMatchObject({
        caller_scheme: 'x-auth-token',
        caller_subject: JWT_SUBJECT,
        request_id: 'audit-e2e-jwt-1',
        outcome: 'succeeded',
      });
    });

    it('records a refusal as failed with the code the caller got; an invalid name is not recorded', async () => {
      expectError(await credential('no-such-auth', 'audit-e2e-404'), 'AUTHORIZATION_NOT_FOUND');
      const [event] = (await auditOf(PROJECT, { name: 'no-such-auth' })).body.events;
      expect(event).toMatchObject({
        operation: 'showCredential',
        outcome: 'failed',
        error_code: 'SVCSTG.REPO.0450',
        request_id: 'audit-e2e-404',
        caller_subject: AK,
      });

      expectError(await credential('x', 'audit-e2e-bad-name'), 'INVALID_PARAMETER');
      expect(
        await sql(`SELECT 1 FROM audit_events WHERE request_id = 'audit-e2e-bad-name'`),
      ).toHaveLength(0);
    });

    it('hands out no token when the record cannot be written: 503, and nothing recorded', async () => {
      await sql(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`);
      await sql(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
      let res: TestResponse<{ token?: string }>;
      try {
        res = await credential('audited', 'audit-e2e-refused');
      } finally {
        await sql(`DROP TRIGGER refuse_audit ON audit_events`);
      }
      expectError(res, 'UNAVAILABLE', /could not be recorded/);
      expect(res.text).not.toMatch(/token/i);
      expect(res.headers.get('x-request-id')).toBe('audit-e2e-refused');
      expect(
        await sql(`SELECT 1 FROM audit_events WHERE request_id = 'audit-e2e-refused'`),
      ).toHaveLength(0);
      // And once the table takes writes again, so does the endpoint.
      expect((await credential('audited', 'audit-e2e-after-refusal')).status).toBe(200);
    });
  });

  describe('GET /v1/{project_id}/git/audit', () => {
    /** Events seeded straight into the table: names a/b/c, two operations, some sharing a millisecond. */
    const SEEDED = 45;

    beforeAll(async () => {
      await sql(
        `INSERT INTO audit_events (project_id, authorization_name, operation, repository, ref, caller_scheme,
           caller_subject, request_id, outcome, created_at, finished_at)
         SELECT $1, 'name-' || chr(97 + i % 3), CASE WHEN i % 2 = 0 THEN 'createTag' ELSE 'deleteTag' END,
           'alice/hello-world', 'v' || i, 'aksk', $2, 'seed-' || i, 'succeeded',
           now() - interval '1 hour' + (i / 4) * interval '1 millisecond', now()
         FROM generate_series(1, ${SEEDED}) AS i`,
        [PAGING_PROJECT, AK],
      );
      await connect('pager', PAGING_PROJECT);
    });

    it('pages newest first without duplicates or gaps while events are being recorded', async () => {
      const seededIds = (
        await sql<{ id: string }>(`SELECT id::text FROM audit_events WHERE project_id = $1`, [
          PAGING_PROJECT,
        ])
      ).map((r) => r.id);
      expect(seededIds).toHaveLength(SEEDED);

      // Credentials handed out meanwhile add events at the head of the list.
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          expect(
            (await credential('pager', `audit-e2e-paging-${written}`, PAGING_PROJECT)).status,
          ).toBe(200);
          written++;
        }
      })();

      const seen: AuditEventBody[] = [];
      let cursor: string | null = null;
      let pages = 0;
      try {
        do {
          const res = await auditOf(PAGING_PROJECT, {
            limit: '7',
            ...(cursor === null ? {} : { cursor }),
          });
          expect(res.status).toBe(200);
          expect(res.body.events.length).toBeLessThanOrEqual(7);
          seen.push(...res.body.events);
          cursor = res.body.next_cursor;
          pages++;
          // Let the writer in between pages.
          await new Promise((resolve) => setTimeout(resolve, 20));
        } while (cursor !== null);
      } finally {
        writing = false;
        await writer;
      }
      expect(written).toBeGreaterThan(0);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(SEEDED / 7));

      const ids = seen.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(seededIds));
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1], seen[i]];
        const newer =
          a.create_time > b.create_time ||
          (a.create_time === b.create_time && BigInt(a.id) > BigInt(b.id));
        expect({ at: i, newer }).toEqual({ at: i, newer: true });
      }
    });

    it('filters by authorization name and by operation', async () => {
      const byName = await auditOf(PAGING_PROJECT, { name: 'name-b', limit: '200' });
      expect(byName.body.events.length).toBe(15);
      expect(new Set(byName.body.events.map((e) => e.name))).toEqual(new Set(['name-b']));

      const byOperation = await auditOf(PAGING_PROJECT, { operation: 'deleteTag', limit: '200' });
      expect(byOperation.body.events.length).toBe(23);
      expect(new Set(byOperation.body.events.map((e) => e.operation))).toEqual(
        new Set(['deleteTag']),
      );
      expect(byOperation.body.events[0]).toMatchObject({ repository: 'alice/hello-world' });

      const both = await auditOf(PAGING_PROJECT, {
        name: 'name-b',
        operation: 'createTag',
        limit: '200',
      });
      expect(both.body.events.map((e) => e.ref)).toEqual([
        'v40',
        'v34',
        'v28',
        'v22',
        'v16',
        'v10',
        'v4',
      ]);
      expect(both.body.next_cursor).toBeNull();

      const [{ count }] = await sql<{ count: number }>(
        `SELECT count(*)::int AS count FROM audit_events WHERE project_id = $1`,
        [PAGING_PROJECT],
      );
      const defaultLimit = await auditOf(PAGING_PROJECT);
      expect(defaultLimit.body.events).toHaveLength(Math.min(50, count));
      expect(defaultLimit.body.next_cursor === null).toBe(count <= 50);
      expect((await auditOf(PAGING_PROJECT, { limit: '40' })).body.next_cursor).not.toBeNull();
    });

    it.each([
      ['an unknown operation', { operation: 'dropTable' }, /operation must be one of/],
      ['a malformed cursor', { cursor: 'bm90LWEtY3Vyc29y' }, /cursor must be/],
      ['limit 201', { limit: '201' }, /limit must be an integer from 1 to 200/],
      ['limit 0', { limit: '0' }, /limit must be/],
      ['an invalid name', { name: 'a' }, /name must be/],
    ])('answers %s with 0400', async (_what, query, message) => {
      expectError(await auditOf(PAGING_PROJECT, query), 'INVALID_PARAMETER', message);
    });

    it("never shows another project's events", async () => {
      // Credentials for another project: refused, as everywhere.
      expectError(await auditOf(PROJECT, {}, { ak: FOREIGN_AK, sk: FOREIGN_SK }), 'FORBIDDEN');
      expectError(await t.request('GET', `/v1/${PROJECT}/git/audit`), 'UNAUTHENTICATED');
      // The caller's own other project holds only its own events, whatever the cursor says.
      const own = await auditOf(FOREIGN_PROJECT, {}, { ak: FOREIGN_AK, sk: FOREIGN_SK });
      expect(own.body).toEqual({ events: [], next_cursor: null });
      const paging = (await auditOf(PAGING_PROJECT, { limit: '200' })).body.events;
      const mine = (await auditOf(PROJECT, { limit: '200' })).body.events;
      expect(paging.some((e) => e.name === 'audited')).toBe(false);
      expect(mine.some((e) => e.name.startsWith('name-') || e.name === 'pager')).toBe(false);
      expect(mine.length).toBeGreaterThan(0);
    });
  });

  it('holds no secret: no token handed out, no secret key, in any row', async () => {
    expect(handedOut.length).toBeGreaterThan(3);
    const rows = (
      await sql<{ row: string }>(`SELECT row_to_json(a)::text AS row FROM audit_events a`)
    ).map((r) => r.row);
    const dump = rows.join('\n');
    expect(rows.length).toBeGreaterThan(SEEDED_MINIMUM);
    for (const secret of [...new Set(handedOut), SK, FOREIGN_SK, HS_SECRET])
      expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
  });
});

/** The seeded rows plus the credentials of the first tests. */
const SEEDED_MINIMUM = 45;
