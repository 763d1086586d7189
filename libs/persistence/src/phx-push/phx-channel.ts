/** Delivery channels of a PHX push request. Stored as text: on the wire of the admin API too. */
export const PhxChannels = ['push', 'email', 'in_app'] as const;
export type PhxChannel = (typeof PhxChannels)[number];

/** Where one channel of one request stands. `sending` is a claim with a lease (`next_attempt_at`). */
export type PhxDeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/**
 * `accepted`: handed to the Consumer; `not_delivered`: the Producer decided nothing goes out
 * (reason says why); the rest: the Consumer's outcome over every channel.
 */
export type PhxRequestStatus =
  'accepted' | 'not_delivered' | 'delivered' | 'partially_delivered' | 'failed';
