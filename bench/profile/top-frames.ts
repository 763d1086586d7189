/**
 * The top frames of a V8 `.cpuprofile` (`node --cpu-prof`, see `cpu-profile.ts`) as text:
 * self time by function, inclusive time by function, and self time by package, in ms and in %
 * of the busy (not idle) time.
 *
 *   npx ts-node -T bench/profile/top-frames.ts <file.cpuprofile> [--phase throughput] [--top 30]
 *     [--callees <function name>]
 *
 * `--phase` keeps the samples of one phase, read from `<file>.phases.json` beside the profile.
 * `--callees` adds where the time of the functions of that name goes: by the frame they called.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PhaseWindows } from './cpu-profile';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = relative(process.cwd(), `${__dirname}/../..`) || '.';
const IDLE = '(idle)';

/** Where a frame's code lives: a package, Node's internals, the app bundle, or V8 itself. */
function packageOf({ url, functionName }: CallFrame): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(V8 builtins / native)';
  if (url.startsWith('node:')) return 'node (internals)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1];
  return relative(ROOT, url.startsWith('file:') ? fileURLToPath(url) : url);
}

function frameLabel(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const path = frame.url.startsWith('file:') ? fileURLToPath(frame.url) : frame.url;
  const where = /node_modules\/(.*)$/.exec(path)?.[1] ?? relative(ROOT, path);
  return `${name}  ${where}:${frame.lineNumber + 1}`;
}

/** Each sample's node and weight in µs (the time until the next sample, as DevTools counts it). */
function weightedSamples(profile: CpuProfile, window?: [number, number]) {
  const { samples, timeDeltas } = profile;
  const result: { node: number; us: number }[] = [];
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i];
    const us = timeDeltas[i + 1] ?? 0;
    if (window && (at < window[0] || at > window[1])) continue;
    result.push({ node: samples[i], us });
  }
  return result;
}

function addTo(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

/** `calleesOf`: the function whose callees are counted; its outermost call on each stack. */
function summarize(profile: CpuProfile, window?: [number, number], calleesOf?: string) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  const callees = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  for (const { node: id, us } of weightedSamples(profile, window)) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === IDLE) {
      idleUs += us;
      continue;
    }
    busyUs += us;
    addTo(self, frameLabel(frame), us);
    addTo(packages, packageOf(frame), us);
    // Recursion would count a frame once per level: once per sample is what "inclusive" means.
    const seen = new Set<string>();
    let callee = '(self)';
    let calleeOfOutermost: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const label = frameLabel(frame);
      if (frame.functionName === calleesOf) calleeOfOutermost = callee;
      callee = label;
      if (label !== '(root)' && !seen.has(label)) {
        seen.add(label);
        addTo(inclusive, label, us);
      }
    }
    if (calleeOfOutermost !== undefined) addTo(callees, calleeOfOutermost, us);
  }
  return { self, inclusive, packages, callees, busyUs, idleUs };
}

function table(title: string, totals: Map<string, number>, busyUs: number, top: number): string {
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = rows.map(
    ([label, us]) =>
      `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / busyUs) * 100).toFixed(1).padStart(5)} %  ${label}`,
  );
  return [`${title}:`, ...lines].join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      phase: { type: 'string' },
      top: { type: 'string', default: '30' },
      callees: { type: 'string' },
    },
  });
  const [file] = positionals;
  if (!file) throw new Error('usage: top-frames.ts <file.cpuprofile> [--phase name] [--top n]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  let window: [number, number] | undefined;
  if (values.phase !== undefined) {
    const phasesFile = file.replace(/\.cpuprofile$/, '.phases.json');
    const phases = JSON.parse(readFileSync(phasesFile, 'utf8')) as PhaseWindows;
    window = phases[values.phase];
    if (!window) throw new Error(`${phasesFile} has no phase "${values.phase}"`);
  }
  const top = Number(values.top);
  const { self, inclusive, packages, callees, busyUs, idleUs } = summarize(
    profile,
    window,
    values.callees,
  );
  const seconds = (us: number) => (us / 1e6).toFixed(1);
  console.log(
    `${file}${values.phase ? ` (phase ${values.phase})` : ''}: busy ${seconds(busyUs)} s, idle ${seconds(idleUs)} s; % of busy time`,
  );
  console.log(`\n${table('self time by function', self, busyUs, top)}`);
  console.log(`\n${table('inclusive time by function', inclusive, busyUs, top)}`);
  console.log(`\n${table('self time by package', packages, busyUs, top)}`);
  if (values.callees !== undefined) {
    console.log(`\n${table(`callees of ${values.callees}`, callees, busyUs, top)}`);
  }
}

main();
