/**
 * CPU time from the kernel's /proc accounting, for "CPU per unit of work" figures: a process's
 * own user + system time (all its threads), and PostgreSQL's as a whole (every postgres process,
 * plus what the postmaster collected from backends that exited). Clock ticks are 10 ms, so a
 * measured phase should last seconds.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const CLOCK_TICKS_PER_SECOND = 100;
const US_PER_TICK = 1_000_000 / CLOCK_TICKS_PER_SECOND;
const POSTGRES_PORT = 5432;

interface ProcStat {
  ppid: number;
  /** utime + stime of the process itself (every thread), µs. */
  selfUs: number;
  /** cutime + cstime: children it waited for, µs. */
  reapedChildrenUs: number;
}

function procStat(pid: number | string, path = `/proc/${pid}/stat`): ProcStat | null {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return null; // Gone.
  }
  // Fields after "(comm)", which may hold spaces: state is field 3, ppid 4, utime 14 … cstime 17.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    ppid: fields[1],
    selfUs: (fields[11] + fields[12]) * US_PER_TICK,
    reapedChildrenUs: (fields[13] + fields[14]) * US_PER_TICK,
  };
}

/** User + system CPU time of a process so far (its threads and the children it reaped), µs; 0 once gone. */
export function processCpuUs(pid: number): number {
  const stat = procStat(pid);
  return stat ? stat.selfUs + stat.reapedChildrenUs : 0;
}

/**
 * CPU time of `pid`'s threads so far by thread name, µs: Node names its main thread
 * `MainThread`, worker threads `WorkerThread`, V8's helpers (GC, compiler) `V8Worker` and the
 * libuv pool `libuv-worker`. Threads that ended are no longer listed.
 */
export function threadCpuUs(pid: number): Record<string, number> {
  const byName: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    const stat = procStat(pid, `/proc/${pid}/task/${tid}/stat`);
    if (!stat) continue;
    let name: string;
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    byName[name] = (byName[name] ?? 0) + stat.selfUs;
  }
  return byName;
}

const pids = (): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);

/** Pids of every process whose command name is `comm`: PostgreSQL runs one per connection. */
export const pidsOf = (comm: string): number[] => pids().filter((pid) => commOf(pid) === comm);

function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Every postgres process's own CPU time plus what each postmaster reaped from exited backends, µs.
 * The difference of two readings is PostgreSQL's CPU in between: a backend that exits between
 * them moves from the first sum into its postmaster's reaped time, whole.
 */
export function postgresCpuUs(): number {
  const postgres = new Map<number, ProcStat>();
  for (const pid of pids()) {
    if (commOf(pid) !== 'postgres') continue;
    const stat = procStat(pid);
    if (stat) postgres.set(pid, stat);
  }
  let total = 0;
  for (const stat of postgres.values()) {
    total += stat.selfUs;
    // Only a postmaster's children are backends; a backend's own children do not exist.
    if (!postgres.has(stat.ppid)) total += stat.reapedChildrenUs;
  }
  return total;
}

/** Local ports of `pid`'s TCP connections to PostgreSQL, from its socket inodes and /proc/net/tcp*. */
function postgresClientPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // Closed while we looked.
    }
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1);
    for (const line of lines) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10 || !inodes.has(columns[9])) continue;
      const [, localPort] = columns[1].split(':');
      const [, remotePort] = columns[2].split(':');
      if (parseInt(remotePort, 16) === POSTGRES_PORT) ports.add(parseInt(localPort, 16));
    }
  }
  return ports;
}

/**
 * The backends serving `pid`'s connections: a backend's process title names its client's
 * address and port, e.g. `postgres: 15/main: postgres signal_test 127.0.0.1(58852) INSERT`.
 */
export function postgresBackendsOf(pid: number): number[] {
  const ports = postgresClientPorts(pid);
  return pids().filter((backend) => {
    if (commOf(backend) !== 'postgres') return false;
    try {
      const title = readFileSync(`/proc/${backend}/cmdline`, 'utf8');
      const port = /\((\d+)\)/.exec(title)?.[1];
      return port !== undefined && ports.has(Number(port));
    } catch {
      return false;
    }
  });
}

export interface CpuPerUnit {
  /** The measured process's CPU per unit, µs. */
  process_us: number;
  /** All of PostgreSQL's CPU per unit (shared: other clients' work counts too), µs. */
  postgres_us: number;
  /** The part of it spent in the backends serving the process's connections, µs. */
  postgres_own_backends_us: number;
  /** process_us + postgres_us. */
  total_us: number;
  /** process_us by thread name (see {@link threadCpuUs}), µs. */
  process_threads_us: Record<string, number>;
}

/**
 * Starts measuring the CPU time of `pid` and of PostgreSQL; `perUnit(units)` divides what they
 * used since by the units of work done. The process's connections are looked up at both ends so
 * a pool that grew during the phase is counted; a backend that was replaced in between is lost
 * from the own-backends figure only.
 */
export function measureCpu(pid: number): { perUnit(units: number): CpuPerUnit } {
  const backendUs = (backends: number[]) => new Map(backends.map((b) => [b, processCpuUs(b)]));
  const before = {
    process: processCpuUs(pid),
    threads: threadCpuUs(pid),
    postgres: postgresCpuUs(),
    backends: backendUs(postgresBackendsOf(pid)),
  };
  return {
    perUnit(units) {
      const process = processCpuUs(pid) - before.process;
      const postgres = postgresCpuUs() - before.postgres;
      let ownBackends = 0;
      for (const [backend, us] of backendUs(postgresBackendsOf(pid))) {
        ownBackends += us - (before.backends.get(backend) ?? 0);
      }
      const per = (us: number) => Math.round(us / Math.max(1, units));
      const threads = Object.entries(threadCpuUs(pid)).map(
        ([name, us]) => [name, per(us - (before.threads[name] ?? 0))] as const,
      );
      return {
        process_us: per(process),
        postgres_us: per(postgres),
        postgres_own_backends_us: per(ownBackends),
        total_us: per(process + postgres),
        process_threads_us: Object.fromEntries(threads.filter(([, us]) => us > 0)),
      };
    },
  };
}

/** CPU time of each group over a phase: ms in all, and % of one core (2 cores = 200 %). */
export type PhaseCpu = Record<string, { ms: number; pct: number }>;

/**
 * Starts measuring the CPU time of process groups, each listed anew at both ends: a process that
 * starts during the phase (a new database connection) counts from 0, one that ends during it is
 * lost. The returned function ends the phase.
 */
export function measureGroupsCpu(groups: Record<string, () => number[]>): () => PhaseCpu {
  const startedAt = performance.now();
  const before = new Map<number, number>();
  for (const list of Object.values(groups)) {
    for (const pid of list()) before.set(pid, processCpuUs(pid));
  }
  return () => {
    const wallMs = Math.max(1, performance.now() - startedAt);
    return Object.fromEntries(
      Object.entries(groups).map(([name, list]) => {
        const us = list().reduce((sum, pid) => sum + processCpuUs(pid) - (before.get(pid) ?? 0), 0);
        const ms = us / 1000;
        return [name, { ms: Math.round(ms), pct: Math.round((ms / wallMs) * 100) }];
      }),
    );
  };
}
