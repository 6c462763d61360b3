import { nextLink } from '../../src/git-auth/providers/repo-api/paging';
import { USER } from '../../test/support/providers';
import type { ArmName, RunningArm } from './arms';
import { BENCH_FILE, BENCH_REPO, BRANCHES, type BenchFakes } from './fakes';
import type { Knobs, ScenarioKey } from './knobs';
import { getJson, hammer, loops, oauthFlows, type LoadResult } from './load';
import { deleteProjects, REPO_AUTH } from './seed';

/** The project holding the seeded authorizations that list and credential read. */
export const PROJECT = '0123456789abcdef0123456789abcdef';
export const SEEDED = 100;
/** The project of the repository scenarios' authorization (apart, so the list scenarios list SEEDED rows). */
export const REPO_PROJECT = 'bench-repositories';
/** Prefix of the projects the OAuth flows create authorizations in (one per arm), emptied after each run. */
const FLOW_PROJECT = 'flow-';

export interface LoadScenario {
  readonly key: Exclude<ScenarioKey, 'startup'>;
  readonly title: string;
  /** What one completed unit of load is. */
  readonly unit: 'request' | 'flow';
  run(arm: RunningArm, seconds: number, runId: string): Promise<LoadResult>;
  /** Undoes what a run left behind, so every run starts from the same state. */
  cleanUp?(): Promise<void>;
  /**
   * The raw arm's runs are the same provider calls made directly against the fake GitHub, not the raw
   * reference: its CPU is then not measured (the calls are made from the load generator).
   */
  readonly rawIsDirect?: boolean;
}

export function loadScenarios(
  knobs: Knobs,
  fakes: BenchFakes,
  databaseUrl: string,
  /** The token of REPO_AUTH, for the direct calls. */
  repoToken: string,
): LoadScenario[] {
  const c = knobs.connections;
  const repoAuth = { 'x-repo-auth': REPO_AUTH };
  // What the service sends GitHub (ProviderHttp and the GitHub strategy), for the direct calls.
  const atGitHub = {
    authorization: `Bearer ${repoToken}`,
    'user-agent': 'git-auth-service/1.0 (+ServiceStage git authorization)',
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
  };
  const api = `${new URL(fakes.github.apiUrl).pathname}/repos/${USER}/${BENCH_REPO}`;
  const forgetCalls = () => {
    fakes.github.forgetCalls();
    return Promise.resolve();
  };
  const list = (arm: RunningArm, seconds: number) =>
    hammer(`${arm.base}/v1/${PROJECT}/git/auths`, 'GET', c, seconds);
  const all: LoadScenario[] = [
    {
      key: 'list',
      title: `list, ${SEEDED} authorizations, ${c} connections`,
      unit: 'request',
      run: list,
    },
    {
      key: 'list-1m',
      title: `list, same, ${knobs.otherRows.toLocaleString('en')} rows of other projects`,
      unit: 'request',
      run: list,
    },
    {
      key: 'oauth-flow',
      title: `full OAuth flow (redirect → provider → oauth), ${knobs.flowWorkers} workers`,
      unit: 'flow',
      run: (arm, seconds, runId) =>
        oauthFlows({
          base: arm.base,
          projectId: `${FLOW_PROJECT}${arm.name satisfies ArmName}`,
          github: fakes.github,
          workers: knobs.flowWorkers,
          seconds,
          runId,
        }),
      cleanUp: async () => {
        await deleteProjects(databaseUrl, FLOW_PROJECT);
        fakes.github.forgetIssued();
      },
    },
    {
      key: 'credential',
      title: `credential (personal token), ${c} connections`,
      unit: 'request',
      run: (arm, seconds) =>
        hammer(`${arm.base}/v1/${PROJECT}/git/auths/seed-7/credential`, 'POST', c, seconds),
    },
    {
      key: 'list-branches',
      title: `listBranches, ${BRANCHES} branches (2 GitHub pages), ${c} connections`,
      unit: 'request',
      rawIsDirect: true,
      run: (arm, seconds) =>
        arm.name === 'service'
          ? hammer(
              `${arm.base}/v1/${REPO_PROJECT}/git/repos/${USER}/${BENCH_REPO}/branches`,
              'GET',
              c,
              seconds,
              repoAuth,
            )
          : loops(fakes.github.webUrl, c, seconds, async (pool) => {
              let path: string | undefined = `${api}/branches?per_page=100`;
              while (path) {
                const page = await getJson(pool, path, atGitHub);
                const next = nextLink(page.link ?? null);
                path =
                  next === undefined
                    ? undefined
                    : `${new URL(next).pathname}${new URL(next).search}`;
              }
            }),
      cleanUp: forgetCalls,
    },
    {
      key: 'show-content',
      title: `showContent, a 4 KiB file, ${c} connections`,
      unit: 'request',
      rawIsDirect: true,
      run: (arm, seconds) =>
        arm.name === 'service'
          ? hammer(
              `${arm.base}/v1/${REPO_PROJECT}/git/files/${USER}/${BENCH_REPO}/${BENCH_FILE.replace(/\//g, ':')}?ref=main`,
              'GET',
              c,
              seconds,
              repoAuth,
            )
          : loops(fakes.github.webUrl, c, seconds, async (pool) => {
              await getJson(pool, `${api}/contents/${BENCH_FILE}?ref=main`, atGitHub);
            }),
      cleanUp: forgetCalls,
    },
    {
      key: 'health',
      title: `GET /health, ${c} connections`,
      unit: 'request',
      run: (arm, seconds) => hammer(`${arm.base}/health`, 'GET', c, seconds),
    },
  ];
  return all.filter((s) => knobs.scenarios.has(s.key));
}
