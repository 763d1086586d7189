import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/** Inodes of the sockets `pid` holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode !== undefined) inodes.add(inode);
      } catch {
        // Closed while we looked.
      }
    }
  } catch {
    // Exited while we looked.
  }
  return inodes;
}

/** Every TCP connection of the machine: local and remote port, and the socket's inode. */
function tcpConnections(): { localPort: number; remotePort: number; inode: string }[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length > 9)
      .map(([, local, remote, , , , , , , inode]) => ({
        localPort: parseInt(local.split(':')[1], 16),
        remotePort: parseInt(remote.split(':')[1], 16),
        inode,
      })),
  );
}

/**
 * The PostgreSQL backends serving `clientPid`'s connections to port `pgPort`: of all the database's
 * processes (other benchmarks' too), those whose socket's peer is one of the client's sockets.
 */
export function backendsOf(clientPid: number, pgPort = 5432): number[] {
  const connections = tcpConnections();
  const clientInodes = socketInodes(clientPid);
  const clientPorts = new Set(
    connections
      .filter((c) => clientInodes.has(c.inode) && c.remotePort === pgPort)
      .map((c) => c.localPort),
  );
  const backendInodes = new Set(
    connections
      .filter((c) => c.localPort === pgPort && clientPorts.has(c.remotePort))
      .map((c) => c.inode),
  );
  return pidsOf('postgres').filter((pid) =>
    [...socketInodes(pid)].some((inode) => backendInodes.has(inode)),
  );
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
