// When checks run: after a quiet period of typing (debounce), and only the newest run counts —
// starting one aborts the one before. No vscode here, so it has plain unit tests.

/** Runs `task` after `delayMs` of quiet; a newer schedule replaces the pending one. */
export class Debouncer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  schedule(delayMs: number, task: () => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      task();
    }, delayMs);
  }

  cancel(): void {
    // Stryker disable next-line ConditionalExpression: clearTimeout(undefined) does nothing; the test only saves a call
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }
}

/** Hands out one AbortSignal per run; beginning a run aborts the previous one. */
export class LatestOnly {
  private current?: AbortController;

  begin(): AbortSignal {
    this.current?.abort();
    const ac = new AbortController();
    this.current = ac;
    return ac.signal;
  }

  /** Whether `signal` belongs to the newest run and was not aborted. */
  isLatest(signal: AbortSignal): boolean {
    return this.current?.signal === signal && !signal.aborted;
  }

  /** Forgets a finished run (so a later abortAll does not touch it). */
  end(signal: AbortSignal): void {
    if (this.current?.signal === signal) this.current = undefined;
  }

  abortAll(): void {
    this.current?.abort();
    this.current = undefined;
  }

  get running(): boolean {
    return this.current !== undefined;
  }
}

/**
 * Whether any file's text differs from what was checked. Text, not editor versions: a file
 * that was only on disk when the run started and is opened meanwhile has not changed.
 */
export function textsChanged(checked: readonly { path: string; text: string }[], now: readonly { path: string; text: string }[]): boolean {
  const current = new Map(now.map((f) => [f.path, f.text]));
  return checked.length !== now.length || checked.some((f) => current.get(f.path) !== f.text);
}

type Texts = readonly { path: string; text: string }[];

/**
 * When the checks run, in one place (no vscode, unit-tested): typing is debounced; a newer text
 * aborts the run in flight; the same text again (a save right after typing, Run Checks while a
 * check of that text is running) joins the run in flight instead of aborting and restarting it;
 * a save of text that was already checked runs nothing. `whenIdle` lets the CodeLens provider
 * wait for the run it would otherwise answer too early for.
 */
export class CheckScheduler<R> {
  private readonly debouncer = new Debouncer();
  private readonly latest = new LatestOnly();
  private inFlight?: { texts: Texts; promise: Promise<R | undefined>; signal: AbortSignal };
  private waiters: (() => void)[] = [];

  /** @param checked the texts of the last published run */
  constructor(private readonly checked: () => Texts | undefined) {}

  /** Runs `fire` after `delayMs` of quiet (the typing debounce). */
  schedule(delayMs: number, fire: () => void): void {
    this.debouncer.schedule(delayMs, () => {
      fire();
      this.settle();
    });
  }

  cancelScheduled(): void {
    this.debouncer.cancel();
    this.settle();
  }

  /**
   * Starts a run of `texts` (aborting an older one), or joins the run in flight for the same
   * texts when `join` is set. With `skipIfChecked`, texts that the last published run checked
   * run nothing (resolves undefined).
   */
  run(texts: Texts, launch: (signal: AbortSignal) => Promise<R | undefined>, opts: { join?: boolean; skipIfChecked?: boolean } = {}): Promise<R | undefined> {
    const f = this.inFlight;
    if (opts.join && f && !f.signal.aborted && !textsChanged(f.texts, texts)) return f.promise;
    const last = this.checked();
    if (opts.skipIfChecked && !f && last && !textsChanged(last, texts)) return Promise.resolve(undefined);
    const signal = this.latest.begin();
    const promise = (async () => {
      try {
        return await launch(signal);
      } finally {
        this.latest.end(signal);
        if (this.inFlight?.signal === signal) this.inFlight = undefined;
        this.settle();
      }
    })();
    this.inFlight = { texts, promise, signal };
    return promise;
  }

  isLatest(signal: AbortSignal): boolean {
    return this.latest.isLatest(signal);
  }

  /** A run is scheduled or in flight: results for the current text are on their way. */
  get busy(): boolean {
    return this.debouncer.pending || this.latest.running;
  }

  /** Resolves when nothing is scheduled or running any more, or after `maxMs`. */
  whenIdle(maxMs: number): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private settle(): void {
    if (this.busy) return;
    for (const w of this.waiters.splice(0)) w();
  }

  dispose(): void {
    this.debouncer.cancel();
    this.latest.abortAll();
    this.inFlight = undefined;
    for (const w of this.waiters.splice(0)) w();
  }
}
