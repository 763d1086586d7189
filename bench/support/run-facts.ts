import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { ROOT } from './server-process';

/**
 * The commit the measured build (this checkout's or the one at `root`) came from, and whether
 * apps/ or libs/ had uncommitted changes.
 * Read when the run starts, right after `run.sh` built the app: apps/ may change while it runs.
 */
export function sourceRevision(
  root = ROOT,
): { commit: string; uncommitted_app_changes: boolean } | null {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root }).toString().trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommitted_app_changes: git('status', '--porcelain', '--', 'apps', 'libs') !== '',
    };
  } catch {
    return null;
  }
}

/** What the figures ran on; the 1-minute load average says how busy the shared machine was. */
export function machineFacts() {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_average: Number(loadavg()[0].toFixed(2)),
  };
}
