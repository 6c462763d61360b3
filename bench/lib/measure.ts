import { setTimeout as sleep } from 'node:timers/promises';
import { ARMS, type ArmName, type RunningArm, startArm } from './arms';
import { cpuMs, memoryMiB, postgresCpu, postgresCpuMsSince } from './proc';
import type { LoadScenario } from './scenarios';

export interface RunSample {
  readonly perSecond: number;
  readonly p99Ms: number;
  readonly cpuMsPerRequest: number;
  /** PostgreSQL's CPU over the run (every postgres process on the machine), per request. */
  readonly dbCpuMsPerRequest: number;
}

export type PerArm<T> = Record<ArmName, T[]>;

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** The arms in the order of round `round`: the first arm alternates, so neither always runs first. */
export function armOrder(round: number): readonly ArmName[] {
  return round % 2 === 0 ? ARMS : [...ARMS].reverse();
}

/** One bounded run of a scenario on an arm, with the server CPU it cost (from /proc). */
export async function measureRun(
  scenario: LoadScenario,
  arm: RunningArm,
  seconds: number,
  runId: string,
): Promise<RunSample> {
  const cpuBefore = cpuMs(arm.pid);
  const dbBefore = postgresCpu();
  const result = await scenario.run(arm, seconds, runId);
  const db = postgresCpuMsSince(dbBefore);
  // Direct calls to the fake run in this process: the raw arm's CPU says nothing about them.
  const direct = scenario.rawIsDirect === true && arm.name === 'raw';
  const cpu = direct ? NaN : cpuMs(arm.pid) - cpuBefore;
  await scenario.cleanUp?.();
  if (result.count === 0) throw new Error(`${scenario.key} on ${arm.name}: nothing completed`);
  return {
    perSecond: result.perSecond,
    p99Ms: result.p99Ms,
    cpuMsPerRequest: cpu / result.count,
    dbCpuMsPerRequest: db / result.count,
  };
}

/**
 * Warms both arms up, then `rounds` interleaved rounds: in each, every scenario runs on both arms back to back,
 * in the round's arm order.
 */
export async function measureRounds(
  scenarios: readonly LoadScenario[],
  arms: Readonly<Record<ArmName, RunningArm>>,
  options: { rounds: number; seconds: number; warmupSeconds: number },
): Promise<Map<string, PerArm<RunSample>>> {
  const samples = new Map<string, PerArm<RunSample>>();
  for (const scenario of scenarios) {
    samples.set(scenario.key, { service: [], raw: [] });
    if (options.warmupSeconds === 0) continue;
    for (const name of ARMS)
      await measureRun(scenario, arms[name], options.warmupSeconds, `w${name}`);
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of scenarios) {
      for (const name of armOrder(round)) {
        const sample = await measureRun(scenario, arms[name], options.seconds, `r${round}`);
        samples.get(scenario.key)?.[name].push(sample);
        progress(
          `round ${round + 1}/${options.rounds} ${scenario.key} ${name}: ${sample.perSecond.toFixed(0)}/s, ` +
            `p99 ${sample.p99Ms.toFixed(1)} ms, ${sample.cpuMsPerRequest.toFixed(3)} ms CPU each ` +
            `(PostgreSQL ${sample.dbCpuMsPerRequest.toFixed(3)})`,
        );
      }
    }
  }
  return samples;
}

export interface StartSample {
  readonly startMs: number;
  /** Resident set one second after the first 200, without requests. */
  readonly idleRssMiB: number;
}

/** Fresh processes of each arm, interleaved: spawn → first 200 of GET /health, then idle RSS. */
export async function measureStarts(
  env: Readonly<Record<string, string>>,
  samples: number,
): Promise<PerArm<StartSample>> {
  const result: PerArm<StartSample> = { service: [], raw: [] };
  for (let i = 0; i < samples; i++) {
    for (const name of armOrder(i)) {
      const arm = await startArm(name, env);
      try {
        await sleep(1_000);
        result[name].push({ startMs: arm.startMs, idleRssMiB: memoryMiB(arm.pid).rss });
        progress(
          `start ${i + 1}/${samples} ${name}: ${arm.startMs.toFixed(0)} ms to the first 200`,
        );
      } finally {
        await arm.stop();
      }
    }
  }
  return result;
}
