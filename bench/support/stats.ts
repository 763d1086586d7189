import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CLOCK_TICKS_PER_SECOND, processCpuUs } from './proc-cpu';

/** Nearest-rank percentile of unsorted `values`; null when there are none. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

export function maxOf(values: readonly number[]): number | null {
  return values.reduce<number | null>(
    (max, value) => (max === null || value > max ? value : max),
    null,
  );
}

export const round = (value: number | null, digits = 1): number | null =>
  value === null ? null : Number(value.toFixed(digits));

/** Resident set size of a process from /proc, in KiB. */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

export type ProcessGroups = Record<string, number[]>;

export interface CpuSnapshot {
  at: number;
  ms: Record<string, number>;
}

/** The machine's CPU ticks so far, all cores: user, nice, system, idle, iowait, irq, softirq, steal. */
function machineTicks(): number[] {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  return ticks.slice(0, 8).map(Number);
}

/** Busy (not idle, not iowait) CPU time of the whole machine so far, in ms over all cores. */
function machineBusyMs(): number {
  const [user, nice, system, , , irq, softirq, steal] = machineTicks();
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Measures the share of CPU time the hypervisor gave to other guests ("steal") from now until the
 * returned function is called, in %. On a shared host a phase with much steal ran on a slower
 * machine than one without: its figures are not comparable.
 */
export function measureSteal(): () => number {
  const before = machineTicks();
  return () => {
    const delta = machineTicks().map((ticks, n) => ticks - before[n]);
    const total = delta.reduce((sum, ticks) => sum + ticks, 0);
    const [, , , , , , , steal] = delta;
    return total === 0 ? 0 : Math.round((steal / total) * 100);
  };
}

/** Per group, and `machine` for everything: what else runs on these cores is `machine` minus the groups. */
export function cpuSnapshot(groups: ProcessGroups): CpuSnapshot {
  const ms = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [
      name,
      pids.reduce((sum, pid) => sum + processCpuUs(pid) / 1000, 0),
    ]),
  );
  return { at: performance.now(), ms: { ...ms, machine: machineBusyMs() } };
}

/** CPU used by each group between two snapshots, in % of one core (2 cores = 200 %). */
export function cpuPercent(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const wallMs = Math.max(1, after.at - before.at);
  const percent = Object.fromEntries(
    Object.keys(after.ms).map((name) => [
      name,
      Math.round(((after.ms[name] - (before.ms[name] ?? 0)) / wallMs) * 100),
    ]),
  );
  const ours = Object.entries(percent).reduce(
    (sum, [name, value]) => (name === 'machine' ? sum : sum + value),
    0,
  );
  return { ...percent, other: Math.max(0, percent.machine - ours) };
}

/** Percentile `q` of the latencies of what was sent in each second after `startAt`. */
export function percentilePerSecond(
  sentAt: readonly number[],
  latenciesMs: readonly number[],
  startAt: number,
  q: number,
): (number | null)[] {
  const buckets: number[][] = [];
  sentAt.forEach((at, i) => {
    const second = Math.max(0, Math.floor((at - startAt) / 1000));
    (buckets[second] ??= []).push(latenciesMs[i]);
  });
  return Array.from(buckets, (bucket) => round(percentile(bucket ?? [], q)));
}
