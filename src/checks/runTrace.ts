// Where the time of one check run goes, from the learner's last keystroke to what they see: the
// typing pause, the trip to the sidecar, its queue, the worker, the trip back, the Problems and
// status bar update, the CodeLens. One debug line per run in the compute log (no vscode here).

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export type TraceMark =
  /** The last edit of an exercise file before this run. */
  | 'edit'
  /** The run began (the typing pause ended, a save, a command). */
  | 'start'
  /** The sidecar got the request, its worker started and finished the checks (sidecar clock). */
  | 'sidecar'
  | 'worker'
  | 'workerDone'
  /** The answer is back in the extension host. */
  | 'answer'
  | 'published'
  | 'diagnostics'
  | 'status'
  /** The editor asked for CodeLenses and got this run's. */
  | 'lens';

const ORDER: TraceMark[] = ['edit', 'start', 'sidecar', 'worker', 'workerDone', 'answer', 'published', 'diagnostics', 'status', 'lens'];

export class RunTrace {
  private readonly marks = new Map<TraceMark, number>();

  constructor(
    readonly id: number,
    readonly reason: string,
    editAt?: number,
  ) {
    if (editAt !== undefined) this.marks.set('edit', editAt);
  }

  mark(name: TraceMark, at = epochMs()): void {
    if (!this.marks.has(name)) this.marks.set(name, at);
  }

  /**
   * The sidecar's receipt and its worker's start and end, from its own clock. Another process's
   * clock can disagree with this one (a wall-clock step between the two starts put the receipt
   * 500 ms after the answer came back): when its times do not fall between 'start' and 'answer',
   * its durations are kept and the span is centred in that window, the trips there and back each
   * taking half of the rest.
   */
  markSidecar(timing: { received: number; workerStarted?: number; workerDone?: number }): void {
    const start = this.marks.get('start');
    const answer = this.marks.get('answer');
    const last = timing.workerDone ?? timing.workerStarted ?? timing.received;
    let shift = 0;
    if (start !== undefined && answer !== undefined && (timing.received < start || last > answer)) {
      const trips = Math.max(0, answer - start - (last - timing.received));
      shift = start + trips / 2 - timing.received;
    }
    this.mark('sidecar', timing.received + shift);
    if (timing.workerStarted !== undefined) this.mark('worker', timing.workerStarted + shift);
    if (timing.workerDone !== undefined) this.mark('workerDone', timing.workerDone + shift);
  }

  has(name: TraceMark): boolean {
    return this.marks.has(name);
  }

  /** Milliseconds from the first mark (the last edit when known) to `name`. */
  since(name: TraceMark): number | undefined {
    const first = ORDER.map((m) => this.marks.get(m)).find((t) => t !== undefined);
    const at = this.marks.get(name);
    // Stryker disable next-line ConditionalExpression: with no first mark there are no marks, so `at` is undefined too
    return first === undefined || at === undefined ? undefined : at - first;
  }

  /** e.g. "trace run 7 (typing): edit→start 401 ms, →sidecar 3 ms, …; 512 ms from the last edit to diagnostics". */
  format(upTo: TraceMark = 'status'): string {
    const steps: string[] = [];
    let prev: { name: TraceMark; at: number } | undefined;
    for (const name of ORDER.slice(0, ORDER.indexOf(upTo) + 1)) {
      const at = this.marks.get(name);
      if (at === undefined) continue;
      steps.push(prev ? `${prev.name}→${name} ${Math.round(at - prev.at)} ms` : name);
      prev = { name, at };
    }
    const total = this.since(upTo);
    const from = this.marks.has('edit') ? 'the last edit' : 'the start';
    return `trace run ${this.id} (${this.reason}): ${steps.join(', ')}${total !== undefined ? `; ${Math.round(total)} ms from ${from} to ${upTo}` : ''}`;
  }
}
