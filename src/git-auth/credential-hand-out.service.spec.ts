import { Logger } from '@nestjs/common';
import { asRequest, inMemoryAuditTrail, TEST_CALLER } from '../../test/support/in-memory-audit';
import { InMemoryAuthorizations, strict } from '../../test/support/in-memory-store';
import { appErrorOf } from '../../test/support/thrown';
import {
  apps,
  gitAuthConfig,
  refresherOf,
  registryWith,
  secrets,
  strategyOf,
} from '../../test/support/unit-fixtures';
import { CredentialHandOut } from './credential-hand-out.service';
import { CredentialService } from './credential.service';
import { AuthorizationStatus, type StoredAuthorization } from './domain/authorization';
import { GitHostResolver } from './git-host-resolver';
import type { AuthorizationRepository } from './persistence/authorization.repository';

const PROJECT = 'p1';
const NAME = 'my-auth';
const HOUR = 3_600_000;

/** The real CredentialService over authorizations in memory (reads only: no refresh is due), and the trail. */
function setup() {
  const store = new InMemoryAuthorizations();
  const authorizations = strict<AuthorizationRepository>(store, ['findSealedCredential']);
  const registry = registryWith(strategyOf('gitlab'));
  const credentials = new CredentialService(
    authorizations,
    registry,
    refresherOf(authorizations, registry),
    new GitHostResolver(apps, gitAuthConfig),
    secrets,
    gitAuthConfig,
  );
  const audit = inMemoryAuditTrail();
  return { store, handOut: new CredentialHandOut(credentials, audit.trail), audit: audit.events };
}

function stored(store: InMemoryAuthorizations, extra: Partial<StoredAuthorization> = {}) {
  return store.put({
    projectId: PROJECT,
    name: NAME,
    ...secrets.seal({ projectId: PROJECT, name: NAME }, 'access-1', 'refresh-1'),
    tokenExpiresAt: new Date(Date.now() + HOUR),
    ...extra,
  });
}

describe('CredentialHandOut: the credential endpoint and its audit trail', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('records the credential handed out, with the caller and request id, and returns it', async () => {
    const { store, handOut, audit } = setup();
    stored(store);
    const result = await asRequest(() => handOut.handOut(PROJECT, NAME), TEST_CALLER, 'req-7');
    expect(result).toMatchObject({ username: 'oauth2', token: 'access-1' });
    expect(audit.rows).toEqual([
      expect.objectContaining({
        projectId: PROJECT,
        authorizationName: NAME,
        operation: 'showCredential',
        repository: null,
        caller: TEST_CALLER,
        requestId: 'req-7',
        outcome: 'succeeded',
        errorCode: null,
      }),
    ]);
  });

  it('no record, no token: a failed write answers 503 and the credential is not returned', async () => {
    const { store, handOut, audit } = setup();
    stored(store);
    audit.failWrites(1);
    const error = await appErrorOf(asRequest(() => handOut.handOut(PROJECT, NAME)));
    expect(error.code).toBe('SVCSTG.REPO.0503');
    expect(error.message).not.toContain('access-1');
    expect(audit.rows).toHaveLength(0);
  });

  it('records a refusal as failed with the code the caller gets', async () => {
    const { store, handOut, audit } = setup();
    stored(store, { status: AuthorizationStatus.EXPIRED });
    expect((await appErrorOf(asRequest(() => handOut.handOut(PROJECT, NAME)))).code).toBe(
      'SVCSTG.REPO.0451',
    );
    expect((await appErrorOf(asRequest(() => handOut.handOut(PROJECT, 'nope')))).code).toBe(
      'SVCSTG.REPO.0450',
    );
    expect(audit.rows.map((r) => [r.authorizationName, r.outcome, r.errorCode])).toEqual([
      [NAME, 'failed', 'SVCSTG.REPO.0451'],
      ['nope', 'failed', 'SVCSTG.REPO.0450'],
    ]);
  });

  it('a refusal stays the answer when its record cannot be written', async () => {
    const { handOut, audit } = setup();
    audit.failWrites(1);
    const error = await appErrorOf(asRequest(() => handOut.handOut(PROJECT, 'nope')));
    expect(error.key).toBe('AUTHORIZATION_NOT_FOUND');
    expect(audit.rows).toHaveLength(0);
  });
});
