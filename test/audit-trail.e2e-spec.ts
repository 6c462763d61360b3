import { AuditTrail, type AuditEntry } from '../src/audit/audit-trail';
import { AuditEventRepository } from '../src/audit/persistence/audit-event.repository';
import { asRequest, TEST_CALLER } from './support/in-memory-audit';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase, withConnection } from './support/test-database';

const PROJECT = '0123456789abcdef0123456789abcdef';
const ENTRY: AuditEntry = {
  projectId: PROJECT,
  authorizationName: 'my-gitlab',
  operation: 'createFile',
  target: { repository: 'alice/hello-world', ref: 'main', path: 'src/App.java' },
};

/** The audit trail's PostgreSQL side: the rows it writes, the order it reads, and a refused write. */
describe('audit trail in PostgreSQL', () => {
  let db: TestDatabase;
  let t: TestApp;
  let trail: AuditTrail;
  let events: AuditEventRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, AUTH_MODE: 'none' });
    trail = t.app.get(AuditTrail, { strict: false });
    events = t.app.get(AuditEventRepository, { strict: false });
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const sql = <T>(text: string, values: unknown[] = []) =>
    withConnection(db.url, async (c) => (await c.query(text, values)).rows as T[]);

  it('begin inserts a pending row stamped by the database; finish sets its outcome', async () => {
    const pending = await asRequest(() => trail.begin(ENTRY), TEST_CALLER, 'req-begin-1');
    const [row] = await sql<Record<string, unknown>>(
      `SELECT * FROM audit_events WHERE request_id = 'req-begin-1'`,
    );
    expect(row).toMatchObject({
      project_id: PROJECT,
      authorization_name: 'my-gitlab',
      operation: 'createFile',
      repository: 'alice/hello-world',
      ref: 'main',
      path: 'src/App.java',
      hook_id: null,
      caller_scheme: 'aksk',
      caller_subject: TEST_CALLER.subject,
      outcome: 'pending',
      error_code: null,
      finished_at: null,
    });
    expect(row.created_at).toBeInstanceOf(Date);

    await pending.finish('failed', 'SVCSTG.REPO.0409');
    const [done] = await sql<Record<string, unknown>>(
      `SELECT outcome, error_code, finished_at, created_at FROM audit_events WHERE request_id = 'req-begin-1'`,
    );
    expect(done).toMatchObject({ outcome: 'failed', error_code: 'SVCSTG.REPO.0409' });
    expect((done.finished_at as Date).getTime()).toBeGreaterThanOrEqual(
      (done.created_at as Date).getTime(),
    );
  });

  it('record inserts one finished row', async () => {
    await asRequest(
      () => trail.record({ ...ENTRY, operation: 'showCredential', target: {} }, 'succeeded'),
      TEST_CALLER,
      'req-record-1',
    );
    const rows = await sql<Record<string, unknown>>(
      `SELECT outcome, finished_at, created_at, repository FROM audit_events WHERE request_id = 'req-record-1'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'succeeded', repository: null });
    expect(rows[0].finished_at).toEqual(rows[0].created_at);
  });

  it('lists newest first with keyset positions, also among events of the same millisecond', async () => {
    const project = 'audit-order-project';
    // Twelve events in one transaction share one created_at (now() is the transaction's start): the id orders them.
    await sql(
      `INSERT INTO audit_events (project_id, authorization_name, operation, caller_scheme, caller_subject,
         request_id, outcome)
       SELECT $1, 'n' || (i % 3), 'createTag', 'none', '-', 'r' || i, 'succeeded'
       FROM generate_series(1, 12) AS i`,
      [project],
    );
    const all = await events.list({ projectId: project, limit: 100 });
    expect(all.map((e) => e.requestId)).toEqual(Array.from({ length: 12 }, (_, i) => `r${12 - i}`));
    const seen: string[] = [];
    let after: { createdAt: Date; id: bigint } | undefined;
    for (;;) {
      const page = await events.list({ projectId: project, limit: 5, after });
      seen.push(...page.map((e) => e.requestId));
      if (page.length < 5) break;
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(all.map((e) => e.requestId));
    const n1 = await events.list({ projectId: project, authorizationName: 'n1', limit: 100 });
    expect(n1.map((e) => e.requestId)).toEqual(['r10', 'r7', 'r4', 'r1']);
    expect(await events.list({ projectId: project, operation: 'deleteTag', limit: 100 })).toEqual(
      [],
    );
  });

  it('an insert the database refuses is a 503 AppError; nothing is written', async () => {
    await sql(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`);
    await sql(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events
      FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    try {
      for (const attempt of [
        (): Promise<unknown> => trail.begin(ENTRY),
        (): Promise<unknown> => trail.record(ENTRY, 'succeeded'),
      ]) {
        await expect(asRequest(attempt, TEST_CALLER, 'req-refused')).rejects.toMatchObject({
          name: 'AppError',
          code: 'SVCSTG.REPO.0503',
        });
      }
      expect(await sql(`SELECT 1 FROM audit_events WHERE request_id = 'req-refused'`)).toHaveLength(
        0,
      );
    } finally {
      await sql(`DROP TRIGGER refuse_audit ON audit_events`);
    }
  });
});
