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

  has(name: TraceMark): boolean {
    return this.marks.has(name);
  }

  /** Milliseconds from the first mark (the last edit when known) to `name`. */
  since(name: TraceMark): number | undefined {
    const first = ORDER.map((m) => this.marks.get(m)).find((t) => t !== undefined);
    const at = this.marks.get(name);
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
