import { randomBytes } from 'node:crypto';
import type { FakeProvider } from './fakes/fake-provider';
import { blobSha, type FakeRepo } from './fakes/repositories';
import { expectError } from './support/errors';
import { KINDS, USER } from './support/providers';
import {
  authorize,
  ORG,
  OTHER_USER,
  PROJECT,
  projectIdOf,
  seedRepositories,
  type Seeded,
} from './support/repositories';
import { startStack, type Stack } from './support/stack';
import type { TestApp } from './support/test-app';
import { withConnection } from './support/test-database';

const HOOK_SECRET = 'whsec-7f3a9c2e1b5d4f60';
const HOOK_URL = 'https://ci.example.com/hooks/push';

/**
 * Each provider's own refusal when the file changed between the service's check and its write (a race no
 * check can close): what the provider answers, and to which write method.
 */
const PROVIDER_CONFLICT: Record<string, { method: string; status: number; body: string }> = {
  github: { method: 'PUT', status: 409, body: '{"message":"a.txt does not match 0123abc"}' },
  gitea: {
    method: 'PUT',
    status: 422,
    body: '{"message":"sha does not match [given: 0123abc, expected: 4567def]","url":"x"}',
  },
  gitee: { method: 'PUT', status: 409, body: '{"message":"sha does not match the file"}' },
  gitlab: {
    method: 'PUT',
    status: 400,
    body: '{"message":"You are attempting to update a file that has changed since you started editing it."}',
  },
  bitbucket: {
    method: 'POST',
    status: 409,
    body: '{"type":"error","error":{"message":"The branch main has moved"}}',
  },
};

/**
 * The nine write operations of ServiceStage's repository API for every registered provider, each checked in the
 * fake provider's state afterwards (what the provider holds, not only what we answered), and in the audit trail.
 */
describe('repository operations (write side)', () => {
  let stack: Stack;
  let t: TestApp;
  const seeded: Record<string, Seeded> = {};
  const authOf = (kind: string) => `${kind}-writer`;

  beforeAll(async () => {
    stack = await startStack({ REPO_HOOK_HTTP_HOSTS: 'localhost' });
    t = stack.t;
    for (const kind of KINDS) {
      seeded[kind] = seedRepositories(stack.providers.fakes[kind]);
      await authorize(t, stack.providers.fakes[kind], 'oauth', authOf(kind));
    }
  });

  afterAll(() => stack?.stop());

  const call = <T>(method: string, kind: string, path: string, body?: unknown) =>
    t.request<T>(method, `/v1/${PROJECT}/git/${path}`, {
      headers: { 'x-repo-auth': authOf(kind) },
      ...(body === undefined ? {} : { body }),
    });

  const sql = <T>(text: string, values: unknown[] = []) =>
    withConnection(stack.db.url, async (c) => (await c.query(text, values)).rows as T[]);

  describe.each(KINDS)('%s', (kind) => {
    const fake = (): FakeProvider => stack.providers.fakes[kind];
    const demo = (): FakeRepo => seeded[kind].demo;
    const repo = (sub: string) => `repos/${USER}/${projectIdOf(fake(), demo())}/${sub}`;
    const file = (path: string, query: string) =>
      `files/${USER}/${projectIdOf(fake(), demo())}/${path.replace(/\//g, ':')}?${query}`;

    it('createProject: a private repository in the own namespace and in an organization; a taken name is 0403', async () => {
      const name = `new-app-${kind}`;
      const res = await call<Record<string, string>>('POST', kind, `repos/${USER}/projects`, {
        name,
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['clone_url', 'id', 'name']);
      const created = fake().repositories.repo(USER, name);
      expect(created?.isPrivate).toBe(true);
      expect(res.body.id).toBe(projectIdOf(fake(), created!));
      expect(res.body.clone_url).toMatch(new RegExp(`^https?://[^@]+/${USER}/${name}\\.git$`, 'i'));

      const again = await call('POST', kind, `repos/${USER}/projects`, { name });
      expectError(again, 'ALREADY_EXISTS');

      const inOrg = await call('POST', kind, `repos/${ORG}/projects`, { name: `org-app-${kind}` });
      expect(inOrg.status).toBe(200);
      expect(fake().repositories.repo(ORG, `org-app-${kind}`)?.isPrivate).toBe(true);
    });

    it('createProject: a name outside the rule is 0400 and reaches no provider', async () => {
      const before = fake().calls().length;
      for (const name of ['..', 'has space', 'a'.repeat(101), '']) {
        const res = await call('POST', kind, `repos/${USER}/projects`, { name });
        expectError(res, 'INVALID_PARAMETER');
      }
      expectError(await call('POST', kind, `repos/${USER}/projects`, {}), 'INVALID_PARAMETER');
      expect(fake().calls().length).toBe(before);
    });

    it('createTag and deleteTag: on the commit ref names; a taken name is 0403, a missing tag 0456', async () => {
      const tag = 'release/9.0';
      const res = await call('POST', kind, `${repo('tags')}?ref=main`, {
        name: tag,
        description: 'Release 9.0',
      });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { name: tag } });
      expect(demo().tags.get(tag)).toBe(demo().branches.get('main'));
      // Bitbucket makes lightweight tags only.
      expect(demo().tagMessages.get(tag)).toBe(kind === 'bitbucket' ? undefined : 'Release 9.0');

      const again = await call('POST', kind, `${repo('tags')}?ref=main`, {
        name: tag,
        description: 'again',
      });
      expectError(again, 'ALREADY_EXISTS');
      expectError(
        await call('POST', kind, `${repo('tags')}?ref=main`, { name: 'a b', description: 'x' }),
        'INVALID_PARAMETER',
      );

      const deleted = await call('DELETE', kind, repo(`tags/${tag.replace('/', ':')}`));
      if (kind === 'gitee') {
        expectError(deleted, 'REPO_TYPE_NOT_SUPPORTED', /deleteTag.*not supported for Gitee/);
        expect(demo().tags.has(tag)).toBe(true);
        return;
      }
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(demo().tags.has(tag)).toBe(false);
      expectError(
        await call('DELETE', kind, repo(`tags/${tag.replace('/', ':')}`)),
        'REPO_NOT_FOUND',
      );
    });

    it('hooks: created with the secret at the provider, listed without it, one per URL, deleted', async () => {
      const res = await call<Record<string, string>>('POST', kind, repo('hooks'), {
        url: HOOK_URL,
        secret: HOOK_SECRET,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.any(String) as string,
        type: kind,
        callback_url: HOOK_URL,
      });
      const stored = [...demo().hooks.values()].find((h) => h.url === HOOK_URL);
      expect(stored?.secret).toBe(HOOK_SECRET);

      const listed = await call<{ hooks: Record<string, string>[] }>('GET', kind, repo('hooks'));
      expect(listed.status).toBe(200);
      expect(listed.body.hooks).toContainEqual(res.body);
      for (const h of listed.body.hooks)
        expect(Object.keys(h).sort()).toEqual(['callback_url', 'id', 'type']);
      expect(listed.text).not.toContain(HOOK_SECRET);

      const duplicate = await call('POST', kind, repo('hooks'), {
        url: HOOK_URL,
        secret: 'other-secret',
      });
      expectError(duplicate, 'ALREADY_EXISTS');
      expect([...demo().hooks.values()].filter((h) => h.url === HOOK_URL)).toHaveLength(1);

      // A Bitbucket {uuid} works without its braces, and with them raw, as the SDK sends it.
      const bare = kind === 'bitbucket' ? res.body.id.replace(/[{}]/g, '') : res.body.id;
      const removed = await call('DELETE', kind, repo(`hooks/${bare}`));
      expect(removed.status).toBe(204);
      expect([...demo().hooks.values()].some((h) => h.url === HOOK_URL)).toBe(false);
      expectError(await call('DELETE', kind, repo(`hooks/${res.body.id}`)), 'REPO_NOT_FOUND');
      expect(t.logs.join('\n')).not.toContain(HOOK_SECRET);
    });

    it('hooks: without admin rights on a repository the user can read, 0455 (GitHub and Gitee hide it: 0456)', async () => {
      const lib = seeded[kind].publicLib;
      const res = await call('GET', kind, `repos/${OTHER_USER}/${projectIdOf(fake(), lib)}/hooks`);
      expectError(
        res,
        kind === 'github' || kind === 'gitee' ? 'REPO_NOT_FOUND' : 'PROVIDER_FORBIDDEN',
      );
      const create = await call(
        'POST',
        kind,
        `repos/${OTHER_USER}/${projectIdOf(fake(), lib)}/hooks`,
        {
          url: HOOK_URL,
          secret: HOOK_SECRET,
        },
      );
      expect([403, 404]).toContain(create.status);
      expect(lib.hooks.size).toBe(0);
    });

    it('hooks: https only (http for REPO_HOOK_HTTP_HOSTS), no credentials in the URL: 0400, nothing sent', async () => {
      const before = demo().hooks.size;
      for (const url of [
        'http://ci.example.com/hook',
        'https://user:pass@ci.example.com/hook',
        'ftp://ci.example.com/hook',
        'not a url',
        `https://ci.example.com/${'a'.repeat(2000)}`,
      ]) {
        const res = await call('POST', kind, repo('hooks'), { url, secret: HOOK_SECRET });
        expectError(res, 'INVALID_PARAMETER');
        expect(res.text).not.toContain(HOOK_SECRET);
      }
      expect(demo().hooks.size).toBe(before);
      const local = await call<{ id: string }>('POST', kind, repo('hooks'), {
        url: 'http://localhost:8080/hook',
        secret: HOOK_SECRET,
      });
      expect(local.status).toBe(200);
      await call('DELETE', kind, repo(`hooks/${encodeURIComponent(local.body.id)}`));
    });

    it('files: binary content round-trips byte-exactly; create, update and delete, each a commit', async () => {
      const path = `bin/${kind}/blob.bin`;
      const bytes = randomBytes(20_000);
      const created = await call('POST', kind, file(path, 'ref=main'), {
        message: 'Add a binary file',
        content: bytes.toString('base64'),
      });
      expect({ status: created.status, body: created.body }).toEqual({
        status: 200,
        body: { path },
      });
      const head = demo().head('main');
      expect(head?.message).toBe('Add a binary file');
      expect(head?.files.get(path)?.equals(bytes)).toBe(true);

      const read = await call<{ content: string; sha: string }>(
        'GET',
        kind,
        file(path, 'ref=main'),
      );
      expect(Buffer.from(read.body.content, 'base64').equals(bytes)).toBe(true);
      expect(read.body.sha).toBe(blobSha(bytes));

      const exists = await call('POST', kind, file(path, 'ref=main'), {
        message: 'again',
        content: 'AA==',
      });
      expectError(exists, 'ALREADY_EXISTS');
      expect(demo().head('main')?.sha).toBe(head?.sha);

      const next = randomBytes(3000);
      const updated = await call('PUT', kind, file(path, 'ref=main'), {
        message: 'Replace it',
        content: next.toString('base64'),
        sha: read.body.sha,
      });
      expect(updated.status).toBe(200);
      expect(demo().head('main')?.files.get(path)?.equals(next)).toBe(true);

      const removed = await call(
        'DELETE',
        kind,
        file(path, `ref=main&message=${encodeURIComponent('Remove it')}&sha=${blobSha(next)}`),
      );
      expect(removed.status).toBe(204);
      expect(demo().head('main')?.files.has(path)).toBe(false);
      expect(demo().head('main')?.message).toBe('Remove it');
      expectError(
        await call('DELETE', kind, file(path, `ref=main&message=again&sha=${blobSha(next)}`)),
        'REPO_NOT_FOUND',
      );
    });

    it('files: a stale sha is 409 0409 and nothing changes; a missing file 0456', async () => {
      const path = `stale/${kind}.txt`;
      demo().commit('main', { message: 'seed', files: { [path]: 'v1\n' } });
      const staleSha = blobSha(Buffer.from('v0\n'));
      const head = demo().head('main')?.sha;
      const update = await call('PUT', kind, file(path, 'ref=main'), {
        message: 'lost update',
        content: Buffer.from('v2\n').toString('base64'),
        sha: staleSha,
      });
      expectError(update, 'STALE_SHA');
      const remove = await call(
        'DELETE',
        kind,
        file(path, `ref=main&message=gone&sha=${staleSha}`),
      );
      expectError(remove, 'STALE_SHA');
      expect(demo().head('main')?.sha).toBe(head);
      expect(demo().head('main')?.files.get(path)?.toString()).toBe('v1\n');

      const missing = await call('PUT', kind, file(`stale/none-${kind}.txt`, 'ref=main'), {
        message: 'm',
        content: 'AA==',
        sha: staleSha,
      });
      expectError(missing, 'REPO_NOT_FOUND');
    });

    it("files: a change between the service's check and the write is the provider's conflict: 0409", async () => {
      const path = `race/${kind}.txt`;
      demo().commit('main', { message: 'seed', files: { [path]: 'v1\n' } });
      const head = demo().head('main')?.sha;
      const conflict = PROVIDER_CONFLICT[kind];
      fake().failNext(
        'contents',
        { status: conflict.status, body: conflict.body },
        1,
        conflict.method,
      );
      const res = await call('PUT', kind, file(path, 'ref=main'), {
        message: 'raced',
        content: Buffer.from('v2\n').toString('base64'),
        sha: blobSha(Buffer.from('v1\n')),
      });
      expectError(res, 'STALE_SHA');
      expect(demo().head('main')?.sha).toBe(head);
    });

    it('files: a branch that does not exist is refused, and none is created', async () => {
      const res = await call('POST', kind, file(`nobranch/${kind}.txt`, 'ref=no-such-branch'), {
        message: 'm',
        content: 'AA==',
      });
      expect([404, 400]).toContain(res.status);
      expect(demo().branches.has('no-such-branch')).toBe(false);
    });

    it('files: an update is one read of the current blob and one write (Bitbucket: branch, meta, bytes, commit)', async () => {
      const path = `cost/${kind}.txt`;
      demo().commit('main', { message: 'seed', files: { [path]: 'v1\n' } });
      const before = fake().calls().length;
      const res = await call('PUT', kind, file(path, 'ref=main'), {
        message: 'v2',
        content: Buffer.from('v2\n').toString('base64'),
        sha: blobSha(Buffer.from('v1\n')),
      });
      expect(res.status).toBe(200);
      const sent = fake()
        .calls()
        .slice(before)
        .map((c) => c.method);
      expect(sent).toEqual(kind === 'bitbucket' ? ['GET', 'GET', 'GET', 'POST'] : ['GET', 'PUT']);
    });

    it('files: content that is not base64, or a missing message, is 0400 before any provider call', async () => {
      const before = fake().calls().length;
      for (const body of [
        { message: 'm', content: 'not base64!' },
        { message: 'm', content: 'QR==' },
        { content: 'AA==' },
        {},
      ])
        expectError(await call('POST', kind, file('x.txt', 'ref=main'), body), 'INVALID_PARAMETER');
      expect(fake().calls().length).toBe(before);
    });

    // Reads what the tests above wrote (jest runs a file's tests in order).
    it('every write above is in the audit trail: finished with its outcome, never a secret', async () => {
      const rows = await sql<Record<string, string | null>>(
        `SELECT operation, repository, ref, path, hook_id, outcome, error_code FROM audit_events
          WHERE project_id = $1 AND authorization_name = $2 ORDER BY id`,
        [PROJECT, authOf(kind)],
      );
      const operations = new Set(rows.map((r) => r.operation));
      for (const op of [
        'createProject',
        'createTag',
        'createHook',
        'deleteHook',
        'createFile',
        'updateFile',
        'deleteFile',
      ])
        expect(operations).toContain(op);
      expect(rows.some((r) => r.outcome === 'pending')).toBe(false);
      expect(rows).toContainEqual({
        operation: 'updateFile',
        repository: `${USER}/${projectIdOf(fake(), demo())}`,
        ref: 'main',
        path: `stale/${kind}.txt`,
        hook_id: null,
        outcome: 'failed',
        error_code: 'SVCSTG.REPO.0409',
      });
      expect(JSON.stringify(rows)).not.toContain(HOOK_SECRET);
      // The same through the audit API, newest first, filtered by authorization and operation.
      const listed = await t.request<{ events: Record<string, string | null>[] }>(
        'GET',
        `/v1/${PROJECT}/git/audit?name=${authOf(kind)}&operation=deleteHook&limit=10`,
      );
      expect(listed.status).toBe(200);
      expect(listed.body.events.map((e) => [e.operation, e.outcome])).toContainEqual([
        'deleteHook',
        'succeeded',
      ]);
      expect(listed.body.events.every((e) => e.name === authOf(kind) && e.hook_id)).toBe(true);
      expect(listed.text).not.toContain(HOOK_SECRET);
      // Refused before X-Repo-Auth was resolved: never attempted, never recorded.
      expect(rows.some((r) => r.path === 'x.txt')).toBe(false);
    });
  });

  it('a body over BODY_LIMIT_BYTES is 413 0413', async () => {
    const res = await t.request('POST', `/v1/${PROJECT}/git/files/${USER}/demo/big.bin?ref=main`, {
      headers: { 'x-repo-auth': authOf('github') },
      body: { message: 'big', content: randomBytes(70 * 1024).toString('base64') },
    });
    expectError(res, 'PAYLOAD_TOO_LARGE');
  });

  it('an audit trail that cannot record stops the write: 503, and the provider never hears of it', async () => {
    const github = stack.providers.fakes.github;
    const before = github.calls().length;
    await sql(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'audit refused for the test'; END $$`);
    await sql(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events
      FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    try {
      const res = await call(
        'POST',
        'github',
        `repos/${USER}/${seeded.github.demo.name}/tags?ref=main`,
        {
          name: 'unrecorded',
          description: 'must not exist',
        },
      );
      expectError(res, 'UNAVAILABLE');
      expect(seeded.github.demo.tags.has('unrecorded')).toBe(false);
      // The authorization is resolved first (a profile or refresh call may happen); no write reached GitHub.
      expect(
        github
          .calls()
          .slice(before)
          .filter((c) => c.method !== 'GET'),
      ).toEqual([]);
    } finally {
      await sql(`DROP TRIGGER refuse_audit ON audit_events`);
      await sql(`DROP FUNCTION refuse_audit()`);
    }
  });
});
