import { randomUUID } from 'node:crypto';
import {
  EXAMPLE_FILE_PATH,
  EXAMPLE_HOOK_ID,
  EXAMPLE_HOOK_URL,
  EXAMPLE_REF,
  EXAMPLE_REPOSITORY,
  SANDBOX_APP_PASSWORD,
  SANDBOX_LOGIN,
  SANDBOX_PERSONAL_TOKEN,
} from '../src/git-auth/dto/examples';
import { repoTypesAccepting } from '../src/git-auth/providers/registered-providers';
import type { FakeProvider } from '../test/fakes/fake-provider';

/**
 * What every sandbox provider holds when it starts: the one place to change it. Its secrets are Swagger's
 * examples (src/git-auth/dto/examples.ts), so that the pre-filled requests work.
 */

export interface SandboxUser {
  readonly login: string;
  readonly name: string;
  /** Accepted as a personal access token, where the provider takes them. */
  readonly personalToken?: string;
  /** Accepted with the login over HTTP Basic, where the provider takes passwords. */
  readonly appPassword?: string;
}

export const SANDBOX_USERS: readonly SandboxUser[] = [
  {
    login: SANDBOX_LOGIN,
    name: 'Alice Sandbox',
    personalToken: SANDBOX_PERSONAL_TOKEN,
    appPassword: SANDBOX_APP_PASSWORD,
  },
  { login: 'bob', name: 'Bob Sandbox' },
];

/** An organization both users belong to, with a repository of its own. */
export const SANDBOX_ORG = 'sandbox-org';

/** The seeding steps, in order. */
const STEPS: readonly ((fake: FakeProvider) => void)[] = [addUsers, addSecrets, addRepositories];

export function seed(fake: FakeProvider): void {
  for (const step of STEPS) step(fake);
}

function addUsers(fake: FakeProvider): void {
  for (const user of SANDBOX_USERS) fake.addUser(user.login, { name: user.name });
}

function addSecrets(fake: FakeProvider): void {
  const takesPersonal = repoTypesAccepting('personal').includes(fake.kind);
  const takesPassword = repoTypesAccepting('password').includes(fake.kind);
  for (const user of SANDBOX_USERS) {
    if (takesPersonal && user.personalToken !== undefined)
      fake.issuePersonalToken(user.login, { value: user.personalToken });
    if (takesPassword && user.appPassword !== undefined)
      fake.addAppPassword(user.login, user.appPassword);
  }
}

/**
 * Repositories to browse with the repository operations: each user's EXAMPLE_REPOSITORY (a few commits, a
 * branch and a tag, the example file) and an organization's.
 */
function addRepositories(fake: FakeProvider): void {
  const file = EXAMPLE_FILE_PATH.replace(/:/g, '/');
  for (const user of SANDBOX_USERS) {
    const repo = fake.repositories.addRepo(user.login, EXAMPLE_REPOSITORY, {
      displayName: 'Hello World',
      defaultBranch: EXAMPLE_REF,
    });
    repo.commit(EXAMPLE_REF, {
      message: 'Initial commit',
      files: {
        'README.md': `# Hello World\n\n${user.name}'s sandbox repository.\n`,
        [file]: 'public class App {\n  public static void main(String[] args) {}\n}\n',
      },
    });
    repo.tags.set('v1.0.0', repo.branches.get(EXAMPLE_REF) ?? '');
    repo.commit('develop', {
      message: 'Start the next version',
      files: { 'CHANGELOG.md': '- next\n' },
    });
    repo.commit(EXAMPLE_REF, {
      message: 'Add a Dockerfile',
      files: { Dockerfile: 'FROM eclipse-temurin:21\n' },
    });
    // The webhook deleteHook's example removes (Bitbucket names hooks by {uuid}).
    const hookId = fake.kind === 'bitbucket' ? `{${randomUUID()}}` : EXAMPLE_HOOK_ID;
    repo.hooks.set(hookId, {
      id: hookId,
      url: EXAMPLE_HOOK_URL,
      secret: 'sandbox-hook-secret',
      events: ['push'],
      settings: { active: true, content_type: 'json', insecure_ssl: '0' },
    });
  }
  fake.repositories.addNamespace(SANDBOX_ORG, {
    kind: 'org',
    name: 'Sandbox Org',
    members: SANDBOX_USERS.map((u) => u.login),
    giteeType: 'group',
  });
  const shared = fake.repositories.addRepo(SANDBOX_ORG, 'platform', { displayName: 'Platform' });
  shared.commit('main', { message: 'Initial commit', files: { 'pom.xml': '<project/>\n' } });
}
