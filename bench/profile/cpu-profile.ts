/**
 * CPU profiles of the servers a benchmark starts, on request: with `BENCH_CPU_PROF_DIR` set, each
 * server runs under `node --cpu-prof` and writes `<dir>/<name>.cpuprofile` when it exits, beside
 * `<dir>/<name>.phases.json`, the phases' windows on the profile's clock, so `top-frames.ts
 * --phase <phase>` can look at one phase (the emits, not the handshakes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A phase's start and end, in µs of the monotonic clock V8 stamps profiles with. */
export type PhaseWindows = Record<string, [number, number]>;

const profileDir = (): string | undefined => {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? resolve(dir) : undefined;
};

/** Node flags that profile a server as `name`, or none when profiling is off. */
export function cpuProfileArgs(name: string): string[] {
  const dir = profileDir();
  if (dir === undefined) return [];
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}.cpuprofile`];
}

/** Now on the clock of `cpuprofile` time stamps (`process.hrtime` and V8 both read CLOCK_MONOTONIC). */
export const profileClockUs = (): number => Number(process.hrtime.bigint() / 1000n);

export function writePhaseWindows(name: string, windows: PhaseWindows): void {
  const dir = profileDir();
  if (dir === undefined) return;
  writeFileSync(join(dir, `${name}.phases.json`), `${JSON.stringify(windows, null, 2)}\n`);
}
