/** The Producer's answer to an accepted request. */
export interface PhxSendResult {
  /** Outcome reported by the Producer, e.g. `accepted` or `skipped`. */
  status: string;
  /** Human-readable explanation, e.g. why an action code was not delivered. */
  message: string;
  /** Id of the stored request, when the Producer stored one. */
  id?: string;
}

/** Per-call options of `send`. */
export interface PhxSendOptions {
  /**
   * Key the Producer dedupes on: sending twice with the same key delivers once.
   * Default: a random UUID per `send` call (reused by its retries).
   */
  idempotencyKey?: string;
  /**
   * Sent as `x-correlation-id`: Signal's logs of this notification, up to its delivery, carry it.
   * 1-128 letters, digits, `.`, `_`, `:` or `-`. Default: none (Signal makes one).
   */
  correlationId?: string;
}
