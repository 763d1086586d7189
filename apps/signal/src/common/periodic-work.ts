/** Runs `work` every `intervalMs`, never two runs at once; `stop()` waits for the run in progress. */
export class PeriodicWork {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  /** False once stopped: a long run checks it to stop starting more. */
  get active(): boolean {
    return this.timer !== null;
  }

  /** With `now`, the first run starts at once rather than one interval later. */
  start({ now = false }: { now?: boolean } = {}): void {
    this.timer = setInterval(() => this.run(), this.intervalMs);
    if (now) this.run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private run(): void {
    this.running ??= this.work().finally(() => (this.running = null));
  }
}
