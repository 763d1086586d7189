import { readFileSync } from 'node:fs';

/** Without a readable limit (not Linux, or unlimited): a cap that fits a common 16k-64k limit. */
export const FALLBACK_MAX_CONNECTIONS = 10_000;

/**
 * Sockets one instance accepts by default: the process's open-file soft limit less headroom for
 * everything else that needs a descriptor (HTTP callers, the database pool, Kafka, Redis,
 * RabbitMQ, SMTP and push connections, files): a tenth of the limit, at least 512. At 20,000
 * descriptors, sockets took 19,975 and every REST call after failed.
 */
export function defaultMaxConnections(procLimits: string | null = readProcLimits()): number {
  const limit = procLimits === null ? null : openFileSoftLimit(procLimits);
  if (limit === null) return FALLBACK_MAX_CONNECTIONS;
  return Math.max(1, limit - Math.max(512, Math.round(limit / 10)));
}

/** The soft "Max open files" of `/proc/self/limits`, or null when absent or unlimited. */
export function openFileSoftLimit(procLimits: string): number | null {
  const soft = /^Max open files\s+(\S+)/m.exec(procLimits)?.[1];
  return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : null;
}

function readProcLimits(): string | null {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
}
