import { FakeGitHub, FakeGitLab } from '../../test/fakes/fake-provider';
import { appOf, USER } from '../../test/support/providers';

/** The fake GitHub, able to forget what it issued between runs. */
export class BenchGitHub extends FakeGitHub {
  /** Its cap of 10 tokens per user scans every token on each code exchange: keep that set small. */
  forgetIssued(): void {
    this.codes.clear();
    this.tokens.clear();
  }
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
 * GitHub (OAuth flows) and GitLab (personal tokens for the credential scenario) on 127.0.0.1. No other provider
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
