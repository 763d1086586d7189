import { PhxChannelOutcome, PhxDeliveryState } from '@signal/persistence';

/** One claimed attempt at a channel of a request: the number the claim answered fences it. */
export interface ChannelAttempt {
  state: PhxDeliveryState;
  attempt: number;
}

/** A device token the push provider called dead: to deactivate, whichever claim asked. */
export interface DeadToken {
  app: string;
  token: string;
  reason: string;
}

/** What an attempt came to: the outcome to store, and the device tokens found dead (push only). */
export interface ChannelResult {
  outcome: PhxChannelOutcome;
  dead: DeadToken[];
}

/** Sends one attempt, once {@link ChannelSender.prepare} has read what its chunk needs. */
export type ChannelSend = (attempt: ChannelAttempt) => Promise<ChannelResult>;

/** Push or e-mail, as the PHX Consumer sends it: one chunk of claimed attempts at a time. */
export interface ChannelSender {
  readonly channel: 'push' | 'email';
  /**
   * Reads what the sends of a chunk need (the push device tokens, in one statement) before any
   * of the chunk's channels is sent, and answers the send. A failure is a channel's outcome
   * (`failed`, or `pending` with the time of its next attempt); a rejection is a bug.
   */
  prepare(attempts: ChannelAttempt[]): Promise<ChannelSend>;
}
