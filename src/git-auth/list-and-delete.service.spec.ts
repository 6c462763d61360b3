import { Logger } from '@nestjs/common';
import { InMemoryAuthorizations, strict } from '../../test/support/in-memory-store';
import {
  apps,
  RecordingRevoker,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { AppError } from '../common/errors/app-error';
import type { StoredAuthorization } from './domain/authorization';
import { ListAndDeleteService } from './list-and-delete.service';
import type { AuthorizationRepository } from './persistence/authorization.repository';

const GITHUB_GRANT = {
  repoType: 'github',
  tag: '',
  repoHost: 'https://github.com',
  apiUrl: 'https://api.github.com',
  repoUser: 'octo',
};

function setup() {
  const store = new InMemoryAuthorizations();
  const revoker = new RecordingRevoker();
  const service = new ListAndDeleteService(
    strict<AuthorizationRepository>(store, ['listByProject', 'delete', 'countGrantHolders']),
    registryWith(strategyOf('github')),
    apps,
    secrets,
    revoker.asRevoker(),
  );
  const put = (projectId: string, name: string, extra: Partial<StoredAuthorization> = {}) =>
    store.put({
      projectId,
      name,
      ...GITHUB_GRANT,
      ...secrets.seal({ projectId, name }, `token-of-${name}`),
      ...extra,
    });
  return { store, revoker, service, put };
}

describe('ListAndDeleteService', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it("lists a project's authorizations, oldest first, without their secrets", async () => {
    const { service, put } = setup();
    put('p1', 'first');
    put('p2', 'foreign');
    put('p1', 'second');
    const list = await service.list('p1');
    expect(list.map((a) => a.name)).toEqual(['first', 'second']);
    expect(Object.keys(list[0])).not.toContain('secretSealed');
  });

  describe('revocation scope on delete', () => {
    it('withdraws the whole grant when no other authorization holds a token of it', async () => {
      const { store, revoker, service, put } = setup();
      put('p1', 'only');
      await service.delete('p1', 'only');
      expect(store.get('p1', 'only')).toBeUndefined();
      expect(revoker.revocations).toEqual([
        expect.objectContaining({
          repoType: 'github',
          accessToken: 'token-of-only',
          scope: 'grant',
          why: { name: 'only', reason: 'authorization deleted' },
        }),
      ]);
    });

    it('revokes only the token while another authorization, in any project, shares the grant', async () => {
      const { revoker, service, put } = setup();
      put('p1', 'mine');
      put('p2', 'theirs');
      await service.delete('p1', 'mine');
      expect(revoker.revocations.map((r) => r.scope)).toEqual(['token']);
      await service.delete('p2', 'theirs');
      expect(revoker.revocations.map((r) => r.scope)).toEqual(['token', 'grant']);
    });

    it.each([
      ['another account', { repoUser: 'someone-else' }],
      ['another application (tag)', { tag: 'intl' }],
      ['another server', { repoHost: 'https://ghe.example' }],
      ['a personal token of the same account', { tokenType: 'personal' as const }],
    ])('does not count %s as sharing the grant', async (_case, other) => {
      const { revoker, service, put } = setup();
      put('p1', 'mine');
      put('p1', 'other', other);
      await service.delete('p1', 'mine');
      expect(revoker.revocations.map((r) => r.scope)).toEqual(['grant']);
    });

    it('uses the application the authorization was created with', async () => {
      const { revoker, service, put } = setup();
      put('p1', 'tagged', { tag: 'intl' });
      await service.delete('p1', 'tagged');
      expect(revoker.revocations[0].app.clientId).toBe('github-client_INTL');
    });

    it('revokes nothing for personal tokens and passwords: they are the user’s own', async () => {
      const { revoker, service, put } = setup();
      put('p1', 'pat', { tokenType: 'personal' });
      await service.delete('p1', 'pat');
      expect(revoker.revocations).toEqual([]);
    });

    it('still deletes when its application is no longer configured or its token cannot be unsealed', async () => {
      const { store, revoker, service, put } = setup();
      put('p1', 'orphan', { tag: 'gone' });
      put('p1', 'unsealable', { keyId: 'removed-key' });
      await service.delete('p1', 'orphan');
      await service.delete('p1', 'unsealable');
      expect(store.rows.size).toBe(0);
      expect(revoker.revocations).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(2);
    });
  });

  it('answers an unknown name, or another project’s, with 0450', async () => {
    const { service, put } = setup();
    put('p2', 'theirs');
    for (const [project, name] of [
      ['p1', 'nope'],
      ['p1', 'theirs'],
    ]) {
      const error = await service.delete(project, name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).key).toBe('AUTHORIZATION_NOT_FOUND');
    }
  });
});
