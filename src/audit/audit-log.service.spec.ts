import {
  asRequest,
  InMemoryAuditEvents,
  inMemoryAuditTrail,
  TEST_CALLER,
} from '../../test/support/in-memory-audit';
import { strict } from '../../test/support/in-memory-store';
import { AuditLog } from './audit-log.service';
import type { AuditOperation } from './audit-trail';
import { decodeCursor } from './domain/audit-cursor';
import type { AuditEventRepository } from './persistence/audit-event.repository';

const PROJECT = 'p1';

async function recorded(
  events: InMemoryAuditEvents,
  specs: [string, AuditOperation][],
  project = PROJECT,
) {
  const { trail } = inMemoryAuditTrail(events);
  for (const [name, operation] of specs)
    await asRequest(
      () =>
        trail.record(
          { projectId: project, authorizationName: name, operation, target: {} },
          'succeeded',
        ),
      TEST_CALLER,
    );
}

function setup() {
  const events = new InMemoryAuditEvents();
  const log = new AuditLog(strict<AuditEventRepository>(events, ['list']));
  return { events, log };
}

describe('AuditLog', () => {
  it('pages newest first; next_cursor is null exactly on the last page', async () => {
    const { events, log } = setup();
    await recorded(
      events,
      Array.from({ length: 5 }, (_, i): [string, AuditOperation] => [`auth-${i}`, 'createTag']),
    );
    const first = await log.list(PROJECT, { limit: 2 });
    expect(first.events.map((e) => e.authorizationName)).toEqual(['auth-4', 'auth-3']);
    expect(first.nextCursor).not.toBeNull();
    const second = await log.list(PROJECT, { limit: 2, after: decodeCursor(first.nextCursor!) });
    expect(second.events.map((e) => e.authorizationName)).toEqual(['auth-2', 'auth-1']);
    const last = await log.list(PROJECT, { limit: 2, after: decodeCursor(second.nextCursor!) });
    expect(last.events.map((e) => e.authorizationName)).toEqual(['auth-0']);
    expect(last.nextCursor).toBeNull();
    // A page that ends exactly at the last event says so too.
    expect((await log.list(PROJECT, { limit: 5 })).nextCursor).toBeNull();
  });

  it('orders events of the same instant by id and pages through them without loss', async () => {
    const { events, log } = setup();
    events.sameInstant = true;
    await recorded(
      events,
      Array.from({ length: 7 }, (_, i): [string, AuditOperation] => [`auth-${i}`, 'createFile']),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await log.list(PROJECT, {
        limit: 3,
        after: cursor === null ? undefined : decodeCursor(cursor),
      });
      seen.push(...page.events.map((e) => e.authorizationName));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['auth-6', 'auth-5', 'auth-4', 'auth-3', 'auth-2', 'auth-1', 'auth-0']);
  });

  it('filters by name and operation, and never shows another project', async () => {
    const { events, log } = setup();
    await recorded(events, [
      ['alpha', 'showCredential'],
      ['beta', 'createTag'],
      ['alpha', 'createTag'],
    ]);
    await recorded(events, [['alpha', 'createTag']], 'p2');
    const names = async (request: Parameters<AuditLog['list']>[1]) =>
      (await log.list(PROJECT, request)).events.map((e) => `${e.authorizationName}:${e.operation}`);
    expect(await names({ limit: 50, name: 'alpha' })).toEqual([
      'alpha:createTag',
      'alpha:showCredential',
    ]);
    expect(await names({ limit: 50, operation: 'createTag' })).toEqual([
      'alpha:createTag',
      'beta:createTag',
    ]);
    expect(await names({ limit: 50, name: 'alpha', operation: 'createTag' })).toEqual([
      'alpha:createTag',
    ]);
    expect((await log.list('p2', { limit: 50 })).events).toHaveLength(1);
  });
});
