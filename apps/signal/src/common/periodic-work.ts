/** Runs `work` every `intervalMs`, never two runs at once; `stop()` waits for the run in progress. */
export class PeriodicWork {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** False once stopped: a long run checks it to stop starting more. */
  get active(): boolean {
    return this.timer !== null;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.work().finally(() => (this.running = null));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
