import type { FakeProvider } from './base';
import { FakeBitbucket } from './fake-bitbucket';
import { FakeGitea } from './fake-gitea';
import { FakeGitee } from './fake-gitee';
import { FakeGitHub } from './fake-github';
import { FakeGitLab } from './fake-gitlab';

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
  ProviderFacts,
  RecordedCall,
} from './types';
export { FakeBitbucket, FakeGitee, FakeGitHub, FakeGitLab };

/** The fake server of each provider, by repo type: one line each. */
const FAKES: Readonly<Record<string, new () => FakeProvider>> = {
  github: FakeGitHub,
  gitlab: FakeGitLab,
  gitee: FakeGitee,
  bitbucket: FakeBitbucket,
  gitea: FakeGitea,
};

export function createFake(kind: string): FakeProvider {
  const Fake = Object.hasOwn(FAKES, kind) ? FAKES[kind] : undefined;
  if (!Fake) throw new Error(`No fake server for the provider "${kind}": add one to test/fakes`);
  return new Fake();
}
