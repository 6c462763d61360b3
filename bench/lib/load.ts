import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { type BenchGitHub, flowUser } from './fakes';
import { percentile } from './stats';

export interface LoadResult {
  /** Completed requests (or flows), all answered as expected. */
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p99Ms: number;
}

/** Fixed-duration load from `connections` keep-alive connections (autocannon); any non-2xx aborts the run. */
export async function hammer(
  url: string,
  method: 'GET' | 'POST',
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const run = await autocannon({ url, method, connections, duration: seconds });
  if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0) {
    throw new Error(
      `${method} ${url}: ${run.non2xx} non-2xx answers, ${run.errors} errors, ${run.timeouts} timeouts`,
    );
  }
  return {
    count: run.requests.total,
    seconds: run.duration,
    perSecond: run.requests.total / run.duration,
    p99Ms: run.latency.p99,
  };
}

export interface FlowOptions {
  readonly base: string;
  readonly projectId: string;
  readonly github: BenchGitHub;
  readonly workers: number;
  readonly seconds: number;
  /** Makes the authorization names of this run unique. */
  readonly runId: string;
}

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) BenchBrowser/1.0';

async function expectStatus(
  step: string,
  response: { statusCode: number; body: { text(): Promise<string> } },
  status: number,
): Promise<void> {
  if (response.statusCode === status) return;
  const text = (await response.body.text()).slice(0, 300);
  throw new Error(`${step} answered ${response.statusCode} (expected ${status}): ${text}`);
}

/**
 * The full OAuth flow, `workers` loops in parallel until the time is up (each finishes the flow it started):
 * redirect on the arm, the user's consent at the fake GitHub (its session cookie, a redirect back with code and
 * state), then oauth on the arm with a new authorization name. Latency is per whole flow.
 */
export async function oauthFlows(options: FlowOptions): Promise<LoadResult> {
  const arm = new Pool(options.base, { connections: options.workers });
  const provider = new Pool(options.github.webUrl, { connections: options.workers });
  const prefix = `/v1/${options.projectId}/git/auths/github`;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  async function worker(w: number): Promise<void> {
    const cookie = options.github.sessionCookie(flowUser(w));
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      const redirect = await arm.request({ path: `${prefix}/redirect`, method: 'GET' });
      await expectStatus('redirect', redirect, 200);
      const authorize = new URL(((await redirect.body.json()) as { url: string }).url);
      if (authorize.origin !== options.github.webUrl)
        throw new Error(`redirect pointed at ${authorize.origin}, not the fake GitHub`);
      const consent = await provider.request({
        path: `${authorize.pathname}${authorize.search}`,
        method: 'GET',
        headers: { cookie, 'user-agent': BROWSER_UA, accept: 'text/html' },
      });
      await expectStatus('authorize', consent, 302);
      await consent.body.dump();
      const back = new URL(String(consent.headers.location));
      const body = JSON.stringify({
        name: `flow-${options.runId}-${w}-${i}`,
        code: back.searchParams.get('code'),
        state: back.searchParams.get('state'),
      });
      const created = await arm.request({
        path: `${prefix}/oauth`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await expectStatus('oauth', created, 200);
      await created.body.dump();
      latencies.push(performance.now() - t0);
    }
  }

  try {
    await Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  } finally {
    await Promise.all([arm.close(), provider.close()]);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    count: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p99Ms: percentile(latencies, 99),
  };
}
