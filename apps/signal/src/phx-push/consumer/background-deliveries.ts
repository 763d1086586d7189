/**
 * Push and e-mail sent in the background of the Kafka path, with back-pressure: past
 * `maxBacklog` requests in hand, none is taken (the database is the queue then, and the retry
 * scheduler takes them in turn); once closing, none either, and `close` waits for those in hand.
 */
export class BackgroundDeliveries {
  /** Requests handed to the background and not done with yet. */
  private backlog = 0;
  private readonly running = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly maxBacklog: number) {}

  /** Whether `close` was called: chunks not started yet are better handed back. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Whether requests handed over now would be sent here. */
  hasRoom(): boolean {
    return this.backlog < this.maxBacklog && !this.closing;
  }

  /** Runs `deliver` for `requests` requests in the background; it must not reject. */
  run(requests: number, deliver: () => Promise<void>): void {
    this.backlog += requests;
    const task = deliver().finally(() => {
      this.backlog -= requests;
      this.running.delete(task);
    });
    this.running.add(task);
  }

  /** Takes no more, and waits for those in hand. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running]);
  }
}
