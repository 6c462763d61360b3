export interface Sample {
  /** ms since the load started */
  readonly at: number;
  readonly ms: number;
  readonly status: number;
  readonly code?: string;
  readonly label: string;
}

export interface Target {
  readonly label: string;
  readonly method: string;
  readonly path: string;
}

/**
 * `workers` loops sending the targets in turn until `running()` says stop or `maxMs` passes (bounded whatever
 * happens); every answer is recorded. A request without an answer after `requestTimeoutMs` is status 0.
 */
export async function load(
  baseUrl: string,
  targets: readonly Target[],
  options: { workers: number; running: () => boolean; maxMs: number; requestTimeoutMs?: number },
  samples: Sample[],
): Promise<void> {
  const started = Date.now();
  const deadline = started + options.maxMs;
  const worker = async (offset: number): Promise<void> => {
    for (let i = offset; options.running() && Date.now() < deadline; i++) {
      const target = targets[i % targets.length];
      const t0 = Date.now();
      let status: number;
      let code: string | undefined;
      try {
        const res = await fetch(`${baseUrl}${target.path}`, {
          method: target.method,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
        });
        status = res.status;
        const text = await res.text();
        code = /"error_code":"([^"]+)"/.exec(text)?.[1];
      } catch {
        status = 0; // no answer (connection refused or reset, or our own timeout)
      }
      samples.push({ at: t0 - started, ms: Date.now() - t0, status, code, label: target.label });
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
