import type { ArmName, RunningArm } from './arms';
import type { BenchFakes } from './fakes';
import type { Knobs, ScenarioKey } from './knobs';
import { hammer, oauthFlows, type LoadResult } from './load';
import { deleteProjects } from './seed';

/** The project holding the seeded authorizations that list and credential read. */
export const PROJECT = '0123456789abcdef0123456789abcdef';
export const SEEDED = 100;
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
}

export function loadScenarios(
  knobs: Knobs,
  fakes: BenchFakes,
  databaseUrl: string,
): LoadScenario[] {
  const c = knobs.connections;
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
      key: 'health',
      title: `GET /health, ${c} connections`,
      unit: 'request',
      run: (arm, seconds) => hammer(`${arm.base}/health`, 'GET', c, seconds),
    },
  ];
  return all.filter((s) => knobs.scenarios.has(s.key));
}
