// The scheduling both panel controllers share: requests are debounced, a new run aborts the
// previous one, and a superseded run's answer is dropped even when it arrives last. No vscode.

export class LatestRun<M> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private generation = 0;
  private running: Promise<void> = Promise.resolve();
  private disposed = false;

  /**
   * @param start computes one answer; resolves undefined when it was aborted
   * @param deliver receives the answer of the latest run only
   */
  constructor(
    private readonly debounceMs: number,
    private readonly start: (signal: AbortSignal) => Promise<M | undefined>,
    private readonly deliver: (answer: M) => void,
  ) {}

  /** Runs after `debounceMs` of quiet. */
  schedule(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.run();
    }, this.debounceMs);
  }

  /** Runs now, cancelling a scheduled run. */
  runNow(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.run();
  }

  /** Resolves when the latest run (scheduled or running) has delivered or been dropped. */
  async idle(): Promise<void> {
    while (this.timer !== undefined) await new Promise((r) => setTimeout(r, this.debounceMs));
    await this.running;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
  }

  private async run(): Promise<void> {
    const generation = ++this.generation;
    this.inFlight?.abort();
    const ac = new AbortController();
    this.inFlight = ac;
    const answer = await this.start(ac.signal);
    // A later run started after this one: its answer wins.
    if (answer === undefined || generation !== this.generation || this.disposed) return;
    if (this.inFlight === ac) this.inFlight = undefined;
    this.deliver(answer);
  }
}
