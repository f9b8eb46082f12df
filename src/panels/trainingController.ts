// The training panel's host-side behaviour without the vscode API (unit-tested in plain Node):
// one fine-tuning run at a time, its progress kept whole (a re-shown page gets everything) and
// sent to the page in batches a few times a second, cancel, and one sentence for every ending.
import type { RunTaskResult } from '../../core/protocol/sidecar';
import type { FineTuneTaskResult, HostToTrainingMessage, TrainingInput, TrainingPhase } from '../../core/protocol/trainingPanel';
import type { TrainingEvalPoint, TrainingStepPoint } from '../../core/protocol/views/trainingView';
import { t } from '../l10n';
import { computeFailure, failedRun } from './panelMessages';
import { checkTrainingResult, parseTrainingInput, progressItem } from './trainingData';
import type { Unavailable } from './labViewController';

export interface TrainingSource {
  /** Runs the lab's fine-tuning task on the learner's current code. Rejects only when the sidecar fails. */
  run(input: TrainingInput, onProgress: (payload: unknown) => void, signal: AbortSignal): Promise<RunTaskResult | Unavailable>;
  labTitle(): string | undefined;
}

/** A run as the VS Code progress notification sees it. */
export interface RunHandle {
  /** Resolves when the run has ended, however it ended. */
  done: Promise<void>;
  cancel(): void;
  /** Called (throttled) with the share of steps done, when known, and a short status. */
  onProgress(listener: (p: { fraction?: number; message: string }) => void): void;
}

export interface TrainingControllerOptions {
  source: TrainingSource;
  post(message: HostToTrainingMessage): void;
  /** A run started (the panel shows a cancellable notification for it). */
  onRunStarted?(run: RunHandle): void;
  /** Least time between two progress messages to the page (default 250 ms: 4 redraws a second). */
  flushMs?: number;
  now?: () => number;
}

// A function, not a constant: a module's constants are made when the bundle loads, before
// activation hands in the translator.
function idleNote(): string {
  return t('Set the inputs and press Start: fine-tuning runs your code in the compute process.');
}

function seconds(ms: number): string {
  return ms < 60_000 ? t('{0} s', (ms / 1000).toFixed(1)) : t('{0} min {1} s', Math.floor(ms / 60_000), Math.round((ms % 60_000) / 1000));
}

/** "epoch 2/3 · step 40/120 · loss 0.412" for the notification. */
export function statusLine(steps: TrainingStepPoint[], totalSteps: number | undefined, epochs: number | undefined, activity?: string): string {
  const last = steps[steps.length - 1];
  if (!last) return activity ?? t('preparing the data and the model…');
  const parts = [
    epochs ? t('epoch {0}/{1}', last.epoch + 1, epochs) : t('epoch {0}', last.epoch + 1),
    totalSteps ? t('step {0}/{1}', last.step + 1, totalSteps) : t('step {0}', last.step + 1),
    t('loss {0}', Number.isFinite(last.loss) ? last.loss.toFixed(3) : String(last.loss)),
  ];
  if (activity) parts.push(activity);
  return parts.join(' · ');
}

export class TrainingController {
  phase: TrainingPhase = 'idle';
  private note = idleNote();
  private detail: string | undefined;
  private input: TrainingInput | undefined;
  private steps: TrainingStepPoint[] = [];
  private evals: TrainingEvalPoint[] = [];
  private totalSteps: number | undefined;
  private activity: string | undefined;
  private result: FineTuneTaskResult | undefined;
  private startedAt = 0;
  private endedAt: number | undefined;
  private sentSteps = 0;
  private sentEvals = 0;
  private sentActivity: string | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;
  private visible = true;
  private ac: AbortController | undefined;
  private running: Promise<void> = Promise.resolve();
  private progressListeners: ((p: { fraction?: number; message: string }) => void)[] = [];
  private disposed = false;

  constructor(private readonly options: TrainingControllerOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private elapsed(): number {
    return this.startedAt === 0 ? 0 : (this.endedAt ?? this.now()) - this.startedAt;
  }

  private post(message: HostToTrainingMessage): void {
    // A hidden page is gone (no retainContextWhenHidden); it asks for a snapshot when shown.
    if (this.visible && !this.disposed) this.options.post(message);
  }

  /** The page (re)loaded: everything so far. */
  onReady(): void {
    this.sentSteps = this.steps.length;
    this.sentEvals = this.evals.length;
    this.sentActivity = this.activity;
    this.post({
      type: 'snapshot',
      body: {
        phase: this.phase,
        note: this.note,
        detail: this.detail,
        input: this.input,
        steps: this.steps,
        evals: this.evals,
        totalSteps: this.totalSteps,
        activity: this.activity,
        elapsedMs: this.elapsed(),
        result: this.result,
        labTitle: this.options.source.labTitle() ?? '',
      },
    });
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
  }

  /** Start pressed. Returns why it was refused, if it was. */
  onStart(body: unknown): string | undefined {
    if (this.disposed) return t('the panel is closed');
    if (this.phase === 'running' || this.phase === 'cancelling') return t('a fine-tuning run is already under way: cancel it first');
    const input = parseTrainingInput(body);
    if (typeof input === 'string') {
      this.setPhase(this.phase, t('Not started: {0}.', input));
      return input;
    }
    this.input = input;
    this.steps = [];
    this.evals = [];
    this.totalSteps = undefined;
    this.activity = undefined;
    this.result = undefined;
    this.sentSteps = 0;
    this.sentEvals = 0;
    this.sentActivity = undefined;
    this.startedAt = this.now();
    this.endedAt = undefined;
    this.progressListeners = [];
    const ac = new AbortController();
    this.ac = ac;
    this.setPhase('running', t('Fine-tuning with your code as it was when you pressed Start…'));
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    this.running = this.run(input, ac).finally(finished);
    this.options.onRunStarted?.({
      done,
      cancel: () => this.cancel(),
      onProgress: (l) => this.progressListeners.push(l),
    });
    return undefined;
  }

  /** Cancel pressed (panel or notification). The run ends with phase "cancelled" once the task has stopped. */
  cancel(): void {
    if (this.phase !== 'running' || !this.ac) return;
    this.setPhase('cancelling', t('Cancelling: the run stops after its current step…'));
    this.ac.abort();
  }

  /** Resolves when the current run (if any) has ended and its messages are posted. */
  idle(): Promise<void> {
    return this.running;
  }

  dispose(): void {
    this.ac?.abort();
    this.disposed = true;
    clearTimeout(this.flushTimer);
  }

  private setPhase(phase: TrainingPhase, note: string, detail?: string): void {
    this.phase = phase;
    this.note = note;
    this.detail = detail;
    this.post({ type: 'phase', body: { phase, note, detail, input: this.input } });
  }

  private onProgress(payload: unknown): void {
    const p = progressItem(payload);
    if (!p) return;
    if ('step' in p) {
      this.steps.push(p.step);
      this.totalSteps = p.step.totalSteps;
    } else if ('eval' in p) this.evals.push(p.eval);
    else this.activity = p.activity;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlush + (this.options.flushMs ?? 250) - this.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what the page has not seen yet, and tells the notification. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlush = this.now();
    const steps = this.steps.slice(this.sentSteps);
    const evals = this.evals.slice(this.sentEvals);
    if (steps.length > 0 || evals.length > 0 || this.activity !== this.sentActivity) {
      if (this.visible) {
        this.sentSteps = this.steps.length;
        this.sentEvals = this.evals.length;
        this.sentActivity = this.activity;
      }
      this.post({ type: 'progress', body: { steps, evals, totalSteps: this.totalSteps, activity: this.activity, elapsedMs: this.elapsed() } });
    }
    const fraction = this.totalSteps ? Math.min(1, this.steps.length / this.totalSteps) : undefined;
    const message = statusLine(this.steps, this.totalSteps, this.input?.epochs, this.activity);
    for (const l of this.progressListeners) l({ fraction, message });
  }

  private async run(input: TrainingInput, ac: AbortController): Promise<void> {
    let ending: Ending;
    try {
      const answer = await this.options.source.run(input, (p) => this.onProgress(p), ac.signal);
      ending = 'unavailable' in answer ? { kind: 'unavailable', why: answer } : { kind: 'answer', answer };
    } catch (err) {
      ending = (err as Error)?.name === 'AbortError' ? { kind: 'aborted' } : { kind: 'threw', err };
    }
    if (this.disposed) return;
    this.endedAt = this.now();
    this.flush();
    this.ac = undefined;
    this.finish(ending);
  }

  private finish(ending: Ending): void {
    const done = this.totalSteps
      ? t('{0} of {1} steps in {2}', this.steps.length, this.totalSteps, seconds(this.elapsed()))
      : t('{0} steps in {1}', this.steps.length, seconds(this.elapsed()));
    if (ending.kind === 'aborted') {
      this.setPhase('cancelled', t('Cancelled before the run started.'));
      return;
    }
    if (ending.kind === 'threw') {
      this.setPhase('failed', t('Fine-tuning stopped: the compute process failed. Start again to retry.'), computeFailure(ending.err).detail);
      return;
    }
    if (ending.kind === 'unavailable') {
      this.setPhase('failed', ending.why.unavailable, ending.why.detail);
      return;
    }
    const answer = ending.answer;
    switch (answer.status) {
      case 'done':
      case 'cancelled': {
        const bad = answer.result === undefined ? t('no result') : checkTrainingResult(answer.result);
        if (!bad) {
          this.result = answer.result as FineTuneTaskResult;
          this.post({ type: 'result', body: { result: this.result } });
        }
        const final = this.result?.final;
        if (answer.status === 'done') {
          if (bad) this.setPhase('failed', t('The fine-tuning task sent a result the panel cannot draw.'), bad);
          else if (final) this.setPhase('done', t('Fine-tuned: {0}; validation F1 (spam) {1}, accuracy {2}.', done, String(final.perClass[1]?.f1.toFixed(3)), final.accuracy.toFixed(3)));
          else this.setPhase('done', t('Fine-tuned: {0}.', done));
        } else if (answer.message === 'cancelled') this.setPhase('cancelled', t('Cancelled after {0}.', done));
        else this.setPhase('cancelled', t('Cancelled after {0} ({1}).', done, answer.message));
        return;
      }
      case 'error': {
        const f = failedRun({ ok: false, error: answer.error, compileErrors: answer.compileErrors }, 'fine-tune');
        this.setPhase('failed', f.message, f.detail);
        return;
      }
      case 'timeout':
      case 'memory':
        this.setPhase('failed', t('Fine-tuning stopped after {0}: {1}.', done, answer.error.message));
        return;
    }
  }
}

type Ending = { kind: 'aborted' } | { kind: 'answer'; answer: RunTaskResult } | { kind: 'unavailable'; why: Unavailable } | { kind: 'threw'; err: unknown };
