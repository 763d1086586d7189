import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { cpuMs } from '../support/stats';

/** Pids of every process whose command name is `comm`: PostgreSQL runs one per connection. */
export function pidsOf(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

/** CPU time of each group over a phase: ms in all, and % of one core (2 cores = 200 %). */
export type PhaseCpu = Record<string, { ms: number; pct: number }>;

/**
 * Starts measuring the CPU time of process groups, each listed anew at both ends: a process that
 * starts during the phase (a new database connection) counts from 0, one that ends during it is
 * lost. The returned function ends the phase.
 */
export function measureCpu(groups: Record<string, () => number[]>): () => PhaseCpu {
  const startedAt = performance.now();
  const before = new Map<number, number>();
  for (const list of Object.values(groups)) for (const pid of list()) before.set(pid, cpuMs(pid));
  return () => {
    const wallMs = Math.max(1, performance.now() - startedAt);
    return Object.fromEntries(
      Object.entries(groups).map(([name, list]) => {
        const ms = list().reduce((sum, pid) => sum + cpuMs(pid) - (before.get(pid) ?? 0), 0);
        return [name, { ms: Math.round(ms), pct: Math.round((ms / wallMs) * 100) }];
      }),
    );
  };
}
