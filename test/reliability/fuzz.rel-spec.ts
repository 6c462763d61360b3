import { fuzzApi, fuzzRawHttp, startFuzzStack } from '../support/fuzz';
import { rawHttp } from '../support/raw-http';
import type { Stack } from '../support/stack';
import { errorLines } from '../support/logs';

/** A fresh seed each run (printed, so a failure replays with FUZZ_SEED=<seed>); npm test runs a fixed one. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const API_RUNS = Number(process.env.FUZZ_RUNS ?? 2_500);
const RAW_RUNS = Number(process.env.FUZZ_RAW_RUNS ?? 2_000);
const BATCH = 8;

describe(`reliability: fuzzing at scale (seed ${SEED})`, () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startFuzzStack();
  });

  afterAll(() => stack?.stop());

  it(`${API_RUNS * BATCH} API requests: no 5xx, 100 % SVCSTG errors, no error logged`, async () => {
    const started = Date.now();
    const stats = await fuzzApi(stack.t.baseUrl, {
      seed: SEED,
      runs: API_RUNS,
      batch: BATCH,
      timeLimitMs: 240_000,
    });
    console.log(
      `API fuzz (seed ${SEED}): ${stats.cases} requests in ${Date.now() - started} ms, max latency ` +
        `${stats.maxLatencyMs} ms; by status ${JSON.stringify(stats.byStatus)}; by code ${JSON.stringify(stats.byCode)}`,
    );
    expect(stats.cases).toBe(API_RUNS * BATCH);
    expect(errorLines(stack.t.logs)).toEqual([]);
  }, 300_000);

  it(`${RAW_RUNS} raw HTTP heads: each answered, below 500, SVCSTG-shaped, with a request id`, async () => {
    const port = Number(new URL(stack.t.baseUrl).port);
    const started = Date.now();
    const byStatus = await fuzzRawHttp(
      { seed: SEED, runs: RAW_RUNS, timeLimitMs: 240_000 },
      (head) => rawHttp(port, Buffer.from(head, 'latin1'), { waitMs: 5_000 }),
    );
    console.log(
      `raw HTTP fuzz (seed ${SEED}): ${RAW_RUNS} heads in ${Date.now() - started} ms; by status ${JSON.stringify(byStatus)}`,
    );
    expect(errorLines(stack.t.logs)).toEqual([]);
  }, 300_000);
});
