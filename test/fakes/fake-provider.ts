import type { FakeProvider } from './base';
import { FakeBitbucket } from './fake-bitbucket';
import { FakeGitee } from './fake-gitee';
import { FakeGitHub } from './fake-github';
import { FakeGitLab } from './fake-gitlab';
import type { FakeKind } from './types';

/**
 * Entry point of the fake providers. Types live in types.ts, the engine in base.ts, each provider in its own file; they are
 * re-exported here so tests import from one place (and base.ts never imports a subclass: no require cycle).
 */
export { CODE_TTL_MS, CONSENT_HEADER, FakeProvider, SESSION_COOKIE } from './base';
export type {
  AuthorizeResult,
  FakeApp,
  FakeEndpoint,
  FakeKind,
  FakeUser,
  Fault,
  RecordedCall,
} from './types';
export { FakeBitbucket, FakeGitee, FakeGitHub, FakeGitLab };

export function createFake(kind: FakeKind): FakeProvider {
  switch (kind) {
    case 'github':
      return new FakeGitHub();
    case 'gitlab':
      return new FakeGitLab();
    case 'gitee':
      return new FakeGitee();
    case 'bitbucket':
      return new FakeBitbucket();
  }
}
