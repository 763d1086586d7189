import { AsyncLocalStorage } from 'node:async_hooks';
import { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { CORRELATION_ID_PATTERN } from '@signal/core';

interface WorkInProgress {
  correlationId: string;
  /** The HTTP request being answered: log lines written for it name it (`req`). */
  request?: IncomingMessage;
}

const storage = new AsyncLocalStorage<WorkInProgress>();

/**
 * The correlation id of the work in progress (an HTTP request, a socket connection, a Kafka or
 * AMQP message), kept across `await`s. The logger reads it into every line; publishers read it
 * to pass it on.
 */
export const CorrelationContext = {
  /** Runs `work` (and everything it starts) under `correlationId`; with none, as it is. */
  run<T>(correlationId: string | undefined, work: () => T): T {
    if (correlationId === undefined) return work();
    // Work an HTTP request starts under an id of its own still belongs to that request.
    return storage.run({ correlationId, request: storage.getStore()?.request }, work);
  },

  /** Runs the rest of an HTTP request (and everything it starts) under its correlation id. */
  runRequest<T>(request: IncomingMessage, correlationId: string, work: () => T): T {
    return storage.run({ correlationId, request }, work);
  },

  /** Runs `work` (and everything it starts) under no id: work of the process, not of a request. */
  outside<T>(work: () => T): T {
    return storage.exit(work);
  },

  current(): string | undefined {
    return storage.getStore()?.correlationId;
  },

  /** The HTTP request being answered, if any. */
  request(): IncomingMessage | undefined {
    return storage.getStore()?.request;
  },
};

/**
 * The id a caller sent when it is a usable one (see `CORRELATION_ID_PATTERN`): ids end up in
 * every log line, so arbitrary text is not trusted into them.
 */
export function validCorrelationId(sent: unknown): string | undefined {
  return typeof sent === 'string' && CORRELATION_ID_PATTERN.test(sent) ? sent : undefined;
}

/** The id a caller sent when usable, else a new UUID: for work whose log lines belong together. */
export function correlationIdOrNew(sent: unknown): string {
  return validCorrelationId(sent) ?? randomUUID();
}
