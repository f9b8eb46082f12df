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
