import {
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

/**
 * The seeding steps, in order. Repositories (once the fakes host them, issue 11): add a step that gives each
 * user a few, e.g. through `fake.repositories`.
 */
const STEPS: readonly ((fake: FakeProvider) => void)[] = [addUsers, addSecrets];

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
