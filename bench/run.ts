/**
 * On-demand benchmark (`npm run bench`): the built service against the raw reference (bench/raw: node:http, pg,
 * undici, node:crypto) on the same tables, the same fake providers and the same PostgreSQL, each in its own
 * process on 127.0.0.1, loaded from this process. After checking that both arms answer identically, it measures
 * both in interleaved rounds and prints service/raw ratios of throughput, p99 latency and server CPU per request
 * (from /proc) with their spread, plus start-up time and memory. BENCH_PROFILE=1 prints CPU profiles instead.
 * Every run is bounded in time and stops by itself. Settings: README, "Benchmark".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestDatabaseServer, TEST_SERVER_URL_VAR } from '../test/support/test-database-server';
import { createTestDatabase } from '../test/support/test-database';
import { ARMS, type ArmName, type RunningArm, startArm } from './lib/arms';
import { type BenchGitHub, startBenchFakes } from './lib/fakes';
import { readKnobs, type Knobs } from './lib/knobs';
import { measureRounds, measureStarts, type PerArm, type RunSample } from './lib/measure';
import { cpuMs, memoryMiB } from './lib/proc';
import { startProfiling, stopProfiling, summarize } from './lib/profile';
import { processTable, profileTables, ratioTable } from './lib/report';
import { loadScenarios, PROJECT, REPO_PROJECT, SEEDED, type LoadScenario } from './lib/scenarios';
import {
  deleteProjects,
  listPlan,
  observeStatements,
  seedAuthorizations,
  seedOtherProjects,
  seedRepoAuthorization,
} from './lib/seed';
import { WIRE_PROJECTS, wireDifferences } from './lib/wire';

const RESULTS = join(__dirname, '..', '..', 'bench', 'results');
/** A fixed sealing key both arms share (not secret: the data is fake; test/support's key would load the app here). */
const TOKEN_KEYS = `bench-1:${Buffer.alloc(32, 7).toString('base64')}`;
const progress = (line: string) => process.stderr.write(`${line}\n`);

interface Setup {
  readonly knobs: Knobs;
  readonly databaseUrl: string;
  readonly env: Record<string, string>;
  readonly arms: Record<ArmName, RunningArm>;
  readonly scenarios: LoadScenario[];
}

/** Stops with the differences when the arms do not answer alike: a ratio between unlike things means nothing. */
async function checkWire(setup: Setup, github: BenchGitHub) {
  const differences = await wireDifferences({
    bases: { service: setup.arms.service.base, raw: setup.arms.raw.base },
    projectId: PROJECT,
    github,
  });
  await deleteProjects(setup.databaseUrl, WIRE_PROJECTS);
  if (differences.length > 0) {
    throw new Error(
      `The service and the raw reference answer differently; fix that before measuring:\n\n${differences.join('\n\n')}`,
    );
  }
  progress('wire check: both arms answer identically');
}

async function seedOthers(setup: Setup): Promise<string> {
  progress(`seeding ${setup.knobs.otherRows} rows of other projects…`);
  await seedOtherProjects(setup.databaseUrl, setup.knobs.otherRows);
  return listPlan(setup.databaseUrl, PROJECT);
}

async function ratios(setup: Setup): Promise<void> {
  const { knobs, scenarios } = setup;
  const titles = new Map(scenarios.map((s) => [s.key, s.title]));
  // How the service's hot queries look on the wire (sampled from pg_stat_activity during a short load).
  const [, statements] = await Promise.all([
    Promise.all(
      scenarios
        .filter((s) => s.key === 'list' || s.key === 'credential')
        .map((s) => s.run(setup.arms.service, 2, 'observe')),
    ),
    observeStatements(setup.databaseUrl, 2_000),
  ]);
  const starts = knobs.scenarios.has('startup')
    ? await measureStarts(setup.env, knobs.startupSamples)
    : undefined;
  const options = {
    rounds: knobs.rounds,
    seconds: knobs.seconds,
    warmupSeconds: knobs.warmupSeconds,
  };
  const runs = await measureRounds(
    scenarios.filter((s) => s.key !== 'list-1m'),
    setup.arms,
    options,
  );
  let plan: string | undefined;
  const others = scenarios.filter((s) => s.key === 'list-1m');
  if (others.length > 0) {
    plan = await seedOthers(setup);
    for (const [key, samples] of await measureRounds(others, setup.arms, options))
      runs.set(key, samples);
  }
  const peakMiB = {
    service: memoryMiB(setup.arms.service.pid).peak,
    raw: memoryMiB(setup.arms.raw.pid).peak,
  };
  const sorted = new Map<string, PerArm<RunSample>>(
    scenarios.flatMap((s) => {
      const samples = runs.get(s.key);
      return samples ? [[s.key, samples] as const] : [];
    }),
  );

  console.log(
    `\nservice / raw, medians over ${knobs.rounds} interleaved rounds of ${knobs.seconds} s ` +
      '(spread: lowest–highest round); the raw reference ' +
      (knobs.rawPrepared ? 'prepares its statements too' : 'sends plain parameterised queries') +
      (knobs.rawFolded ? ' and checks the OAuth name inside the DELETE\n' : '\n'),
  );
  console.log(ratioTable(titles, sorted));
  console.log(`\n${processTable(starts, peakMiB)}\n`);
  const observed = statements.filter((q) => q.includes('authorizations'));
  if (observed.length > 0)
    console.log(`The service's statements (pg_stat_activity):\n${observed.join('\n')}\n`);
  if (plan) console.log(`List query plan with the other projects' rows:\n${plan}\n`);

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'latest.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        knobs: { ...knobs, scenarios: [...knobs.scenarios] },
        runs: Object.fromEntries(sorted),
        starts,
        peakMiB,
        plan,
        observedStatements: observed,
      },
      null,
      2,
    )}\n`,
  );
}

/** Profiles each scenario on each arm (fresh profiler per run), then start-up from spawn to the first 200. */
async function profiles(setup: Setup): Promise<void> {
  const { knobs } = setup;
  mkdirSync(RESULTS, { recursive: true });
  const file = (key: string, arm: ArmName) =>
    join(RESULTS, `profile-${key}-${arm}.cpuprofile.json`);
  for (const scenario of setup.scenarios) {
    if (scenario.key === 'list-1m') await seedOthers(setup);
    const summaries = {} as Record<ArmName, ReturnType<typeof summarize>>;
    const counts = {} as Record<ArmName, number>;
    const cpuUs = {} as Record<ArmName, number>;
    for (const name of ARMS) {
      const arm = setup.arms[name];
      if (knobs.warmupSeconds > 0) await scenario.run(arm, knobs.warmupSeconds, 'warm');
      await scenario.cleanUp?.();
      await startProfiling(arm);
      const cpuBefore = cpuMs(arm.pid);
      const result = await scenario.run(arm, knobs.seconds, 'profile');
      cpuUs[name] = ((cpuMs(arm.pid) - cpuBefore) * 1000) / result.count;
      summaries[name] = summarize(await stopProfiling(arm, file(scenario.key, name)));
      await scenario.cleanUp?.();
      counts[name] = result.count;
    }
    const unit = scenario.unit;
    console.log(
      `\nprofile: ${scenario.title}, ${knobs.seconds} s per arm, ${counts.service} / ${counts.raw} ${unit}s; ` +
        `process CPU (all threads, /proc) ${cpuUs.service.toFixed(0)} / ${cpuUs.raw.toFixed(0)} µs per ${unit}\n`,
    );
    console.log(profileTables(summaries, counts, `µs per ${unit}`, 15));
  }
  if (knobs.scenarios.has('startup')) {
    const summaries = {} as Record<ArmName, ReturnType<typeof summarize>>;
    for (const name of ARMS) {
      const arm = await startArm(name, setup.env, { profiler: { fromStart: true } });
      try {
        summaries[name] = summarize(await stopProfiling(arm, file('startup', name)));
      } finally {
        await arm.stop();
      }
    }
    console.log('\nprofile: start → first 200 (ms of main thread)\n');
    console.log(profileTables(summaries, { service: 1000, raw: 1000 }, 'ms', 15));
  }
  console.log(`\nProfiles (Chrome DevTools format): ${RESULTS}/profile-*.cpuprofile.json`);
}

async function main(): Promise<void> {
  const knobs = readKnobs();
  const server = await startTestDatabaseServer();
  process.env[TEST_SERVER_URL_VAR] = server.url;
  const db = await createTestDatabase();
  const fakes = await startBenchFakes(knobs.flowWorkers);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: db.url,
    AUTH_MODE: 'none',
    TOKEN_ENCRYPTION_KEYS: TOKEN_KEYS,
    // The flows create authorizations as fast as they can; the limit is not what is measured.
    RATE_LIMIT_CREATE_PER_MINUTE: '1000000',
    ...(knobs.rawPrepared ? { RAW_PREPARED_STATEMENTS: '1' } : {}),
    ...(knobs.rawFolded ? { RAW_FOLDED_NAME_CHECK: '1' } : {}),
    ...fakes.env,
  };
  const started: RunningArm[] = [];
  try {
    const profiler = knobs.profile ? { fromStart: false } : undefined;
    // The service first: it applies the migrations the raw reference relies on.
    const service = await startArm('service', env, { profiler });
    started.push(service);
    const raw = await startArm('raw', env, { profiler });
    started.push(raw);
    await seedAuthorizations(service.base, fakes.gitlab, PROJECT, SEEDED);
    const repoToken = await seedRepoAuthorization(service.base, fakes.github, REPO_PROJECT);
    const setup: Setup = {
      knobs,
      databaseUrl: db.url,
      env,
      arms: { service, raw },
      scenarios: loadScenarios(knobs, fakes, db.url, repoToken),
    };
    await checkWire(setup, fakes.github);
    await (knobs.profile ? profiles(setup) : ratios(setup));
  } finally {
    await Promise.all(started.map((arm) => arm.stop()));
    await fakes.stop();
    await db.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
