/** Why a channel did not deliver, and whether the same attempt may succeed later. */
export interface ChannelFailure {
  reason: string;
  transient: boolean;
}

/** A failed delivery attempt; `transient` tells the consumer to retry rather than record it. */
export class ChannelError extends Error implements ChannelFailure {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get reason(): string {
    return this.message;
  }
}
