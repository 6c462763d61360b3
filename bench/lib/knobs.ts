/** The benchmark's settings, from the environment (documented in the README's Benchmark section). */
export const SCENARIOS = [
  'list',
  'list-1m',
  'oauth-flow',
  'credential',
  'list-branches',
  'show-content',
  'health',
  'startup',
] as const;
export type ScenarioKey = (typeof SCENARIOS)[number];

export interface Knobs {
  /** Seconds per measured run (each scenario, each arm, each round). */
  readonly seconds: number;
  readonly rounds: number;
  readonly warmupSeconds: number;
  /** Connections of the list, credential and health loads. */
  readonly connections: number;
  /** Parallel OAuth flows. */
  readonly flowWorkers: number;
  readonly otherRows: number;
  readonly startupSamples: number;
  readonly scenarios: ReadonlySet<ScenarioKey>;
  /** Profiles instead of ratios. */
  readonly profile: boolean;
  /** The raw reference prepares its statements too, as the service does by default. */
  readonly rawPrepared: boolean;
  /** The raw reference checks an OAuth completion's name inside the state's DELETE, as the service does. */
  readonly rawFolded: boolean;
}

function positive(name: string, fallback: number, min = 1): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer of at least ${min}`);
  return value;
}

export function readKnobs(): Knobs {
  const asked = (process.env.BENCH_SCENARIOS ?? SCENARIOS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`,
    );
  return {
    seconds: positive('BENCH_DURATION_SECONDS', 10),
    rounds: positive('BENCH_ROUNDS', 5),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 3, 0),
    connections: positive('BENCH_CONNECTIONS', 16),
    flowWorkers: positive('BENCH_FLOW_WORKERS', 32),
    otherRows: positive('BENCH_OTHER_ROWS', 1_000_000),
    startupSamples: positive('BENCH_STARTUP_SAMPLES', 5),
    scenarios: new Set(asked as ScenarioKey[]),
    profile: process.env.BENCH_PROFILE === '1',
    rawPrepared: process.env.BENCH_RAW_PREPARED === '1',
    rawFolded: process.env.BENCH_RAW_FOLDED === '1',
  };
}
