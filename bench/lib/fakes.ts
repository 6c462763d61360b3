import { randomBytes } from 'node:crypto';
import { FakeGitHub, FakeGitLab } from '../../test/fakes/fake-provider';
import { appOf, USER } from '../../test/support/providers';

/** The repository the repository scenarios read: BRANCHES branches (two GitHub pages) and a file. */
export const BENCH_REPO = 'bench';
export const BRANCHES = 150;
export const BENCH_FILE = 'src/main/App.java';

/** The fake GitHub, able to forget what it issued between runs. */
export class BenchGitHub extends FakeGitHub {
  /** Its cap of 10 tokens per user scans every token on each code exchange: keep that set small. */
  forgetIssued(): void {
    for (const [token, record] of this.tokens)
      if (record.type !== 'personal') this.tokens.delete(token);
    this.codes.clear();
  }
}

/** USER's repository BENCH_REPO: a few commits, BRANCHES branches, a 4 KiB source file. */
function seedBenchRepository(github: BenchGitHub): void {
  const repo = github.repositories.addRepo(USER, BENCH_REPO);
  for (let i = 1; i <= 3; i++)
    repo.commit('main', {
      message: `Commit ${i}`,
      files: { [BENCH_FILE]: randomBytes(3072).toString('base64'), 'README.md': `# Bench ${i}\n` },
    });
  const head = repo.branches.get('main') ?? '';
  for (let i = 1; repo.branches.size < BRANCHES; i++)
    repo.branches.set(`feature/${String(i).padStart(3, '0')}`, head);
}

/** The GitHub user of OAuth flow worker `w`. */
export function flowUser(w: number): string {
  return `flow-user-${w}`;
}

export interface BenchFakes {
  readonly github: BenchGitHub;
  readonly gitlab: FakeGitLab;
  /** Both arms' provider configuration: GitHub OAuth apps (default and `intl`), GitLab for personal tokens. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * GitHub (OAuth flows, the repository of the repository scenarios) and GitLab (personal tokens for the credential
 * scenario) on 127.0.0.1. No other provider
 * is configured: the raw reference runs OAuth flows for GitHub only, so both arms answer 0453 for the others.
 */
export async function startBenchFakes(flowUsers: number): Promise<BenchFakes> {
  const github = new BenchGitHub();
  const gitlab = new FakeGitLab();
  await Promise.all([github.start(), gitlab.start()]);
  const app = appOf('github');
  const intl = appOf('github', 'intl');
  github.registerApp(app);
  github.registerApp(intl);
  github.addUser(USER);
  // GitHub keeps 10 tokens per user and app, revoking older ones: parallel flows need a user each.
  for (let w = 0; w < flowUsers; w++) github.addUser(flowUser(w));
  gitlab.addUser(USER);
  // The benchmark makes far more API calls than GitHub's 5,000 an hour.
  github.rateLimit = Number.MAX_SAFE_INTEGER;
  seedBenchRepository(github);
  return {
    github,
    gitlab,
    env: {
      GITHUB_CLIENT_ID: app.clientId,
      GITHUB_CLIENT_SECRET: app.clientSecret,
      GITHUB_REDIRECT_URI: app.redirectUri,
      GITHUB_WEB_URL: github.webUrl,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_INTL_CLIENT_ID: intl.clientId,
      GITHUB_INTL_CLIENT_SECRET: intl.clientSecret,
      GITHUB_INTL_REDIRECT_URI: intl.redirectUri,
      GITLAB_WEB_URL: gitlab.webUrl,
      GITLAB_API_URL: gitlab.apiUrl,
    },
    stop: async () => {
      await Promise.all([github.stop(), gitlab.stop()]);
    },
  };
}
