import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import type { RunningArm } from './arms';

const ROOT = join(__dirname, '..', '..', '..');
const ANSWER_TIMEOUT_MS = 30_000;

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber?: number;
  /** Set on frames of the bundled entry (see unbundled). */
  readonly bundled?: boolean;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** V8's .cpuprofile format. */
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Sends a command to the arm's profiler hook and waits (bounded) for its answer. */
function command(arm: RunningArm, message: object, answer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      arm.child.off('message', onMessage);
      reject(new Error(`${arm.name}: the profiler did not answer "${answer}" in time`));
    }, ANSWER_TIMEOUT_MS);
    const onMessage = (reply: { profiled?: string }) => {
      if (reply.profiled !== answer) return;
      clearTimeout(timer);
      arm.child.off('message', onMessage);
      resolve();
    };
    arm.child.on('message', onMessage);
    arm.child.send(message);
  });
}

export function startProfiling(arm: RunningArm): Promise<void> {
  return command(arm, { profile: 'start' }, 'started');
}

/** Stops the arm's profiler (started by startProfiling or from its start) and reads the profile it wrote. */
export async function stopProfiling(arm: RunningArm, file: string): Promise<CpuProfile> {
  await command(arm, { profile: 'stop', file }, 'stopped');
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/** Packages by the family a reader looks for (the first match wins). */
const FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^@nestjs\//, '@nestjs'],
  [/^@prisma\/|^prisma$/, 'prisma'],
  [
    /^(fastify|@fastify\/.+|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|fast-uri|toad-cache|fast-decode-uri-component|rfdc|content-type|process-warning)$/,
    'fastify',
  ],
  [
    /^(pino|@pinojs\/.+|pino-std-serializers|sonic-boom|fast-redact|thread-stream|safe-stable-stringify|quick-format-unescaped|on-exit-leak-free|atomic-sleep)$/,
    'pino',
  ],
  [/^(pg|pg-.+|pgpass|postgres-.+)$/, 'pg'],
  [/^(class-validator|class-transformer|validator|libphonenumber-js)$/, 'class-validator'],
];

function packageOf(path: string): string {
  const rest = path.slice(path.lastIndexOf('/node_modules/') + '/node_modules/'.length);
  const parts = rest.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Where a sampled function belongs: V8's own categories, a node core module, a package or our own code. */
export function groupOf(frame: CallFrame): string {
  const { functionName, url } = frame;
  if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle), (root)
  if (url === '') return '(V8 builtins)';
  if (url.startsWith('wasm://')) return 'wasm';
  if (url.startsWith('node:')) {
    const module = url.slice('node:'.length).replace(/^internal\//, '');
    return `node:${module.split('/')[0].replace(/\.js$/, '')}`;
  }
  const path = url.replace(/^file:\/\//, '');
  if (path.includes('/node_modules/')) {
    const pkg = packageOf(path);
    return FAMILIES.find(([pattern]) => pattern.test(pkg))?.[1] ?? pkg;
  }
  if (path.startsWith(join(ROOT, 'dist', 'database', 'generated'))) return 'prisma';
  if (path.startsWith(join(ROOT, 'src', 'database', 'generated'))) return 'prisma';
  if (path.startsWith(join(ROOT, 'dist'))) return 'own code';
  if (path.startsWith(join(ROOT, 'src'))) return 'own code';
  if (path.startsWith(join(ROOT, 'dist-bench'))) return 'own code';
  return 'other';
}

/** Work worth seeing whole (inclusive time: everything on the stack below these frames). */
const INCLUSIVE: readonly (readonly [string, (frame: CallFrame) => boolean])[] = [
  [
    'module loading (require)',
    // Node's loader, or (in the bundle) esbuild's wrapper that runs a bundled module on its first require.
    (f) =>
      f.functionName === 'Module._load' || (f.functionName === '__require' && f.bundled === true),
  ],
  [
    'Swagger document',
    (f) => f.functionName === 'createDocument' && f.url.includes('@nestjs/swagger'),
  ],
];

export interface ProfileSummary {
  /** Sampled main-thread time, idle excluded, in µs. */
  readonly busyUs: number;
  /** Inclusive time of the INCLUSIVE markers, in µs. */
  readonly inclusive: ReadonlyMap<string, number>;
  readonly groups: ReadonlyMap<string, number>;
  /** Self time by function ("name file:line"), with its group. */
  readonly functions: ReadonlyMap<string, { readonly group: string; readonly us: number }>;
}

/** The marker a node runs under, if any (walking up to the root; the outermost marker wins). */
function markerOf(id: number, nodes: Map<number, ProfileNode>, parents: Map<number, number>) {
  let found: string | undefined;
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const frame = nodes.get(at)?.callFrame;
    const marker = frame && INCLUSIVE.find(([, test]) => test(frame));
    if (marker) found = marker[0];
  }
  return found;
}

/** The service's entry is one bundled file (tools/bundle-main.mjs); its source map names the files it came from. */
const BUNDLE = join(ROOT, 'dist', 'main.bundle.js');
let bundleMap: SourceMap | null | undefined;

function bundleSourceMap(): SourceMap | null {
  if (bundleMap === undefined) {
    const file = `${BUNDLE}.map`;
    bundleMap = existsSync(file)
      ? new SourceMap(
          JSON.parse(readFileSync(file, 'utf8')) as ConstructorParameters<typeof SourceMap>[0],
        )
      : null;
  }
  return bundleMap;
}

/** A frame in the bundle, as the file (package or source) and line it was bundled from. */
function unbundled(frame: CallFrame): CallFrame {
  if (frame.url.replace(/^file:\/\//, '') !== BUNDLE) return frame;
  // esbuild's own helpers (__require…) have no source: they stay in the bundle.
  if (frame.functionName.startsWith('__')) return { ...frame, bundled: true };
  const entry = bundleSourceMap()?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
  if (!entry || !('originalSource' in entry)) return { ...frame, bundled: true };
  return {
    ...frame,
    bundled: true,
    url: resolve(join(ROOT, 'dist'), entry.originalSource),
    lineNumber: entry.originalLine,
  };
}

export function summarize(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(
    profile.nodes.map((n) => [n.id, { ...n, callFrame: unbundled(n.callFrame) }]),
  );
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const inclusive = new Map<string, number>();
  const selfUs = new Map<number, number>();
  // V8 records the time to the next sample with that next sample: delta i+1 belongs to sample i.
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[i + 1]);
  }
  const groups = new Map<string, number>();
  const functions = new Map<string, { group: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const group = groupOf(frame);
    busyUs += us;
    const marker = markerOf(id, nodes, parents);
    if (marker) inclusive.set(marker, (inclusive.get(marker) ?? 0) + us);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const file = frame.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
    const key = `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`;
    const entry = functions.get(key) ?? { group, us: 0 };
    functions.set(key, { group, us: entry.us + us });
  }
  return { busyUs, inclusive, groups, functions };
}
