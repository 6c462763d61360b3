import type { ArmName } from './arms';
import type { PerArm, RunSample, StartSample } from './measure';
import type { ProfileSummary } from './profile';
import { fixed, median, ratio, table, withSpread } from './stats';

/**
 * service / raw per round (runs of one round are paired: they ran back to back). A round whose raw value is 0
 * has no ratio: autocannon's latencies are whole milliseconds, and the raw reference's p99 can be under one.
 */
function ratios<T>(samples: PerArm<T>, value: (s: T) => number): number[] {
  return samples.service
    .map((s, i) => value(s) / value(samples.raw[i]))
    .filter((r) => Number.isFinite(r));
}

const med = <T>(samples: T[], value: (s: T) => number) => median(samples.map(value));

export function ratioTable(
  titles: ReadonlyMap<string, string>,
  runs: ReadonlyMap<string, PerArm<RunSample>>,
): string {
  const rows = [...runs].map(([key, s]) => {
    const perSecond = (x: RunSample) => x.perSecond;
    const p99 = (x: RunSample) => x.p99Ms;
    const cpu = (x: RunSample) => x.cpuMsPerRequest;
    const db = (x: RunSample) => x.dbCpuMsPerRequest;
    // Rows measured against direct calls to the fake have no raw CPU.
    const direct = s.raw.every((x) => Number.isNaN(x.cpuMsPerRequest));
    return [
      titles.get(key) ?? key,
      `${med(s.service, perSecond).toFixed(0)} / ${med(s.raw, perSecond).toFixed(0)}`,
      withSpread(ratios(s, perSecond), ratio),
      `${med(s.service, p99).toFixed(1)} / ${med(s.raw, p99).toFixed(1)}`,
      withSpread(ratios(s, p99), ratio),
      `${med(s.service, cpu).toFixed(3)} / ${direct ? '–' : med(s.raw, cpu).toFixed(3)}`,
      direct ? '–' : withSpread(ratios(s, cpu), ratio),
      `${med(s.service, db).toFixed(3)} / ${med(s.raw, db).toFixed(3)}`,
    ];
  });
  return table(
    [
      'path',
      'per s, service / raw',
      'throughput ratio',
      'p99 ms, service / raw',
      'p99 ratio',
      'CPU ms each, service / raw',
      'CPU ratio',
      'PostgreSQL CPU ms each, service / raw',
    ],
    rows,
  );
}

export function processTable(
  starts: PerArm<StartSample> | undefined,
  peakMiB: Readonly<Record<ArmName, number>>,
): string {
  const rows: string[][] = [];
  if (starts) {
    const rss = (x: StartSample) => x.idleRssMiB;
    const start = (x: StartSample) => x.startMs;
    rows.push([
      'idle RSS after start, MiB',
      `${med(starts.service, rss).toFixed(0)} / ${med(starts.raw, rss).toFixed(0)}`,
      withSpread(ratios(starts, rss), ratio),
    ]);
    rows.push([
      'start → first 200, ms',
      `${med(starts.service, start).toFixed(0)} / ${med(starts.raw, start).toFixed(0)}`,
      withSpread(ratios(starts, start), ratio),
    ]);
  }
  rows.push([
    'peak RSS over the whole run, MiB',
    `${peakMiB.service.toFixed(0)} / ${peakMiB.raw.toFixed(0)}`,
    ratio(peakMiB.service / peakMiB.raw),
  ]);
  return table(['process', 'service / raw', 'ratio'], rows);
}

/** Groups (packages, V8 categories, node core modules, own code) by main-thread time, per request or in all. */
export function profileTables(
  summaries: Readonly<Record<ArmName, ProfileSummary>>,
  divisors: Readonly<Record<ArmName, number>>,
  unit: string,
  top: number,
): string {
  const per = (arm: ArmName, us: number) => us / divisors[arm];
  const show = (v: number | undefined) => (v === undefined ? '–' : fixed(0)(v));
  const groups = new Set([...summaries.service.groups.keys(), ...summaries.raw.groups.keys()]);
  const rows = [...groups]
    .map((g) => ({
      g,
      service: summaries.service.groups.has(g)
        ? per('service', summaries.service.groups.get(g) ?? 0)
        : undefined,
      raw: summaries.raw.groups.has(g) ? per('raw', summaries.raw.groups.get(g) ?? 0) : undefined,
    }))
    .sort((a, b) => Math.max(b.service ?? 0, b.raw ?? 0) - Math.max(a.service ?? 0, a.raw ?? 0))
    .slice(0, top);
  const groupTable = table(
    [`group (self time, ${unit})`, 'service', 'raw'],
    [
      [
        'main thread, busy',
        show(per('service', summaries.service.busyUs)),
        show(per('raw', summaries.raw.busyUs)),
      ],
      ...[
        ...new Set([...summaries.service.inclusive.keys(), ...summaries.raw.inclusive.keys()]),
      ].map((marker) => [
        `inclusive: ${marker}`,
        show(per('service', summaries.service.inclusive.get(marker) ?? 0)),
        show(per('raw', summaries.raw.inclusive.get(marker) ?? 0)),
      ]),
      ...rows.map((r) => [r.g, show(r.service), show(r.raw)]),
    ],
  );
  const functionTable = (arm: ArmName) =>
    table(
      [`${arm}: top functions by self time`, 'group', unit],
      [...summaries[arm].functions]
        .sort((a, b) => b[1].us - a[1].us)
        .slice(0, top)
        .map(([name, f]) => [name, f.group, fixed(1)(per(arm, f.us))]),
    );
  return [groupTable, functionTable('service'), functionTable('raw')].join('\n\n');
}
