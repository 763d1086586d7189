import { LoggerService } from '@nestjs/common';

/**
 * Routes Node's process warnings into the JSON log instead of Node's plain-text stderr lines,
 * which break one-JSON-object-per-line log shipping. Each kind (name and code) is logged once:
 * kafkajs 2.2.4 arms a timer with a negative delay on every connection, which Node 24 reports as
 * a TimeoutNegativeWarning each time (Node treats the delay as 1 ms, as older Nodes did silently).
 */
export function logProcessWarnings(logger: LoggerService): void {
  const seen = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    const kind = warning.code ? `${warning.name} ${warning.code}` : warning.name;
    if (seen.has(kind)) return;
    seen.add(kind);
    logger.warn(`${kind}: ${warning.message} (further ${kind} warnings are not logged)`);
  });
}
