// The worker runs one job at a time. Jobs wait here: check runs go before views that have not
// started (the learner's next keystroke should not wait behind a panel's generation or beam
// search), and a job whose caller gave up while it waited is still started — its own first step
// drops it without touching the worker (workerPool.ts).

export type JobKind = 'checks' | 'view';

interface Waiting {
  kind: JobKind;
  start: () => void;
}

export class JobQueue {
  private readonly waiting: Waiting[] = [];
  private running = false;

  /** @param after called when each job ends, before the next starts (worker recycling) */
  constructor(private readonly after: () => void = () => undefined) {}

  /** Jobs waiting, not counting the one running. */
  get length(): number {
    return this.waiting.length;
  }

  run<T>(kind: JobKind, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        kind,
        start: () => {
          job()
            .then(resolve, reject)
            .finally(() => {
              try {
                this.after();
              } finally {
                this.running = false;
                this.next();
              }
            });
        },
      };
      // Checks overtake views that are still waiting; among equals, first come first served.
      const at = kind === 'checks' ? this.waiting.findIndex((w) => w.kind === 'view') : -1;
      if (at >= 0) this.waiting.splice(at, 0, entry);
      else this.waiting.push(entry);
      this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const entry = this.waiting.shift();
    if (!entry) return;
    this.running = true;
    entry.start();
  }
}
