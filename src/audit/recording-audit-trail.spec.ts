import { Logger } from '@nestjs/common';
import { UNAUTHENTICATED_CALLER } from '../common/auth/caller';
import { AppError } from '../common/errors/app-error';
import { asRequest, inMemoryAuditTrail, TEST_CALLER } from '../../test/support/in-memory-audit';
import type { AuditEntry } from './audit-trail';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TAG_ENTRY: AuditEntry = {
  projectId: PROJECT,
  authorizationName: 'my-github',
  operation: 'createTag',
  target: { repository: 'alice/hello-world', ref: 'v1.0.0' },
};

describe('RecordingAuditTrail', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('begin writes a pending event with the caller and request id of the request being served', async () => {
    const { trail, events } = inMemoryAuditTrail();
    await asRequest(() => trail.begin(TAG_ENTRY), TEST_CALLER, 'req-42');
    expect(events.rows).toEqual([
      expect.objectContaining({
        projectId: PROJECT,
        authorizationName: 'my-github',
        operation: 'createTag',
        repository: 'alice/hello-world',
        ref: 'v1.0.0',
        path: null,
        hookId: null,
        caller: TEST_CALLER,
        requestId: 'req-42',
        outcome: 'pending',
        errorCode: null,
        finishedAt: null,
      }),
    ]);
  });

  it('finish sets the outcome once; a second finish changes nothing', async () => {
    const { trail, events } = inMemoryAuditTrail();
    const pending = await asRequest(() => trail.begin(TAG_ENTRY));
    await pending.finish('failed', 'SVCSTG.REPO.0403');
    await pending.finish('succeeded');
    expect(events.rows[0]).toMatchObject({ outcome: 'failed', errorCode: 'SVCSTG.REPO.0403' });
    expect(events.rows[0].finishedAt).toBeInstanceOf(Date);
  });

  it('record writes one finished event', async () => {
    const { trail, events } = inMemoryAuditTrail();
    await asRequest(() =>
      trail.record(
        {
          projectId: PROJECT,
          authorizationName: 'my-github',
          operation: 'showCredential',
          target: {},
        },
        'succeeded',
      ),
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]).toMatchObject({ operation: 'showCredential', outcome: 'succeeded' });
    expect(events.rows[0].finishedAt).toEqual(events.rows[0].createdAt);
  });

  it('names the unauthenticated caller when the service runs without authentication', async () => {
    const { trail, events } = inMemoryAuditTrail();
    await asRequest(() => trail.record(TAG_ENTRY, 'succeeded'), UNAUTHENTICATED_CALLER);
    expect(events.rows[0].caller).toEqual({ scheme: 'none', subject: '-' });
  });

  it('a write that fails is a 503 AppError, and nothing is recorded', async () => {
    const { trail, events } = inMemoryAuditTrail();
    events.failWrites(2);
    for (const attempt of [
      (): Promise<unknown> => trail.begin(TAG_ENTRY),
      (): Promise<unknown> => trail.record(TAG_ENTRY, 'succeeded'),
    ]) {
      const error: unknown = await asRequest(attempt).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'SVCSTG.REPO.0503', status: 503 });
    }
    expect(events.rows).toHaveLength(0);
  });

  it('a finish that fails resolves: the event stays pending and the caller is not failed', async () => {
    const { trail, events } = inMemoryAuditTrail();
    const pending = await asRequest(() => trail.begin(TAG_ENTRY));
    events.failWrites(1);
    await expect(pending.finish('succeeded')).resolves.toBeUndefined();
    expect(events.rows[0].outcome).toBe('pending');
  });

  it('refuses to record outside an authenticated request (nothing happens without knowing who asked)', async () => {
    const { trail, events } = inMemoryAuditTrail();
    await expect(trail.record(TAG_ENTRY, 'succeeded')).rejects.toThrow(
      /outside an authenticated request/,
    );
    await expect(asRequest(() => trail.record(TAG_ENTRY, 'succeeded'), null)).rejects.toThrow(
      /outside an authenticated request/,
    );
    expect(events.rows).toHaveLength(0);
  });

  it('refuses an operation that is not an audit operation', async () => {
    const { trail } = inMemoryAuditTrail();
    const bogus = { ...TAG_ENTRY, operation: 'dropTable' } as unknown as AuditEntry;
    await expect(asRequest(() => trail.record(bogus, 'succeeded'))).rejects.toThrow(
      /unknown audit operation/,
    );
  });
});
