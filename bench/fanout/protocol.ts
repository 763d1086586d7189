/** What the orchestrator and the client workers say to each other over IPC, and the shared names. */

/** One topic per phase, so a straggler of one phase is never counted in the next. */
export const PHASE_TOPICS = {
  fixed: 'bench/fanout/fixed',
  throughput: 'bench/fanout/throughput',
  broadcast: 'bench/fanout/broadcast',
} as const;

export type Phase = keyof typeof PHASE_TOPICS;

/** The payload every emit carries; latency is `Date.now() - sentAt` at the client. */
export interface BenchPayload {
  sentAt: number;
  seq: number;
}

export const benchUserId = (index: number): string => `bench-user-${index}`;

export type ToWorker =
  | { type: 'prepare'; from: number; to: number }
  | { type: 'connect'; url: string; concurrency: number }
  | { type: 'phase'; phase: Phase }
  | { type: 'count' }
  | { type: 'collect'; expectedPerClient: number }
  | { type: 'close' };

export interface ConnectProgress {
  type: 'progress';
  connected: number;
  failed: number;
}

export interface ConnectDone {
  type: 'connect-done';
  connected: number;
  failed: number;
  /** Per connection, from `io()` to the `connect` event. */
  connectMs: number[];
  /** A few distinct connect_error messages, to explain failures. */
  errors: string[];
}

export interface PhaseCount {
  type: 'count';
  received: number;
}

export interface PhaseCollected {
  type: 'collected';
  received: number;
  latenciesMs: number[];
  /** `sentAt` of each event, in the order of `latenciesMs`. */
  sentAt: number[];
  /** Date.now() of the last event of the phase received; 0 when none. */
  lastReceivedAt: number;
  /** Clients that received exactly `expectedPerClient` events of the phase. */
  clientsComplete: number;
  /** Sockets still connected, and disconnections seen since connecting. */
  connected: number;
  disconnects: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'prepared' }
  | ConnectProgress
  | ConnectDone
  | { type: 'phase-ready' }
  | PhaseCount
  | PhaseCollected
  | { type: 'closed' };
