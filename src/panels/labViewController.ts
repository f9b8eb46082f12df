// A lab view panel's host-side behaviour without the vscode API (unit-tested in plain Node):
// debounces the panel's requests, aborts a superseded computation, drops stale answers (the
// latest request wins) and turns answers into panel messages.
import type { HostToLabViewMessage } from '../../core/protocol/labView';
import { MAX_REQUEST_JSON_CHARS } from '../../core/protocol/labView';
import type { VisualizeResult } from '../../core/protocol/sidecar';
import { t } from '../l10n';
import { LatestRun } from './latestRun';
import { computeFailure, failedRun } from './panelMessages';

export interface Unavailable {
  unavailable: string;
  detail?: string;
}

export interface LabViewSource {
  /** Runs the current lab's visualize function `view` in the sidecar. May reject with an AbortError. */
  compute(view: string, input: Record<string, unknown>, signal: AbortSignal): Promise<VisualizeResult | Unavailable>;
  labTitle(): string | undefined;
}

export interface LabViewControllerOptions {
  view: string;
  source: LabViewSource;
  post(message: HostToLabViewMessage): void;
  /** Said while computing, e.g. "Running your block stack…". */
  busyReason: string;
  /** Why `data` cannot be drawn, or undefined when it can. */
  validate?(data: unknown): string | undefined;
  /** The view's own check of the panel's inputs: the inputs to compute with, or why they are refused. */
  parseInput?(input: Record<string, unknown>): Record<string, unknown> | string;
  debounceMs?: number;
  now?: () => Date;
}

/** A request body from the webview; a string says what is wrong with it. */
export function parseLabViewRequest(body: unknown): Record<string, unknown> | string {
  const input = (body as { input?: unknown } | null)?.input;
  if (!input || typeof input !== 'object' || Array.isArray(input)) return t('input must be an object');
  let json: string;
  try {
    json = JSON.stringify(input);
  } catch {
    return t('input must be plain JSON');
  }
  if (json.length > MAX_REQUEST_JSON_CHARS) return t('input is larger than {0} characters of JSON', MAX_REQUEST_JSON_CHARS);
  return JSON.parse(json) as Record<string, unknown>;
}

/** The panel message for one answer of the source. */
export function toLabViewMessage(
  view: string,
  result: VisualizeResult | Unavailable,
  labTitle: string | undefined,
  now: Date,
  validate?: (data: unknown) => string | undefined,
): HostToLabViewMessage {
  if ('unavailable' in result) return { type: 'unavailable', body: { message: result.unavailable, detail: result.detail } };
  if (!result.ok) return { type: 'unavailable', body: failedRun(result) };
  const bad = !result.data || typeof result.data !== 'object' ? t('no data') : validate?.(result.data);
  if (bad) return { type: 'unavailable', body: { message: t('The compute process sent data the panel cannot draw.'), detail: bad } };
  return { type: 'view', body: { view, data: result.data, labTitle: labTitle ?? '', updatedAt: now.toISOString() } };
}

export class LabViewController {
  private input: Record<string, unknown> | undefined;
  private ready = false;
  private disposed = false;
  private readonly runs: LatestRun<HostToLabViewMessage>;
  /** The data last sent to the panel (the integration suite reads it). */
  lastData: unknown;

  constructor(private readonly options: LabViewControllerOptions) {
    this.runs = new LatestRun(options.debounceMs ?? 150, (signal) => this.compute(signal), (message) => {
      if (message.type === 'view') this.lastData = message.body.data;
      this.options.post(message);
    });
  }

  /** The page loaded. It sends its (possibly restored) inputs right after; nothing runs before. */
  onReady(): void {
    this.ready = true;
  }

  /** The learner edited the inputs. Returns why the body was refused, if it was. */
  onRequest(body: unknown): string | undefined {
    const raw = parseLabViewRequest(body);
    const parsed = typeof raw === 'string' || !this.options.parseInput ? raw : this.options.parseInput(raw);
    if (typeof parsed === 'string') return parsed;
    this.input = parsed;
    this.ready = true;
    this.runs.schedule();
    return undefined;
  }

  /** Computes now with the current inputs (checks re-ran). */
  refresh(): void {
    if (!this.ready || this.disposed || !this.input) return;
    this.runs.runNow();
  }

  /** Resolves when the latest computation (scheduled or running) has posted or been dropped. */
  idle(): Promise<void> {
    return this.runs.idle();
  }

  dispose(): void {
    this.disposed = true;
    this.runs.dispose();
  }

  private async compute(signal: AbortSignal): Promise<HostToLabViewMessage | undefined> {
    const input = this.input;
    if (!input) return undefined;
    const { view, source, post, busyReason, validate } = this.options;
    post({ type: 'busy', body: { reason: busyReason } });
    try {
      const result = await source.compute(view, { ...input }, signal);
      return toLabViewMessage(view, result, source.labTitle(), (this.options.now ?? (() => new Date()))(), validate);
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' || signal.aborted) return undefined;
      return { type: 'unavailable', body: computeFailure(err) };
    }
  }
}
