// A lab view panel's host-side behaviour without the vscode API (unit-tested in plain Node):
// debounces the panel's requests, aborts a superseded computation, drops stale answers (the
// latest request wins) and turns answers into panel messages.
import type { HostToLabViewMessage } from '../../core/protocol/labView';
import { MAX_REQUEST_JSON_CHARS } from '../../core/protocol/labView';
import type { CompileDiagnostic, VisualizeResult } from '../../core/protocol/sidecar';

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
  debounceMs?: number;
  now?: () => Date;
}

/** A request body from the webview; a string says what is wrong with it. */
export function parseLabViewRequest(body: unknown): Record<string, unknown> | string {
  const input = (body as { input?: unknown } | null)?.input;
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'input must be an object';
  let json: string;
  try {
    json = JSON.stringify(input);
  } catch {
    return 'input must be plain JSON';
  }
  if (json.length > MAX_REQUEST_JSON_CHARS) return `input is larger than ${MAX_REQUEST_JSON_CHARS} characters of JSON`;
  return JSON.parse(json) as Record<string, unknown>;
}

function where(d: { file: string; line: number; column?: number }): string {
  return `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}`;
}

function compileMessage(errors: CompileDiagnostic[]): string {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Your code does not compile: ${where(errors[0])} ${errors[0].message}${more}`;
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
  if (!result.ok) {
    if (result.compileErrors.length > 0) {
      const detail = result.compileErrors.length > 1 ? result.compileErrors.map((e) => `${where(e)} ${e.message}`).join('\n') : undefined;
      return { type: 'unavailable', body: { message: compileMessage(result.compileErrors), detail } };
    }
    const loc = result.error.location;
    const at = loc && !result.error.message.includes(`${loc.file}:${loc.line}`) ? ` (${where(loc)})` : '';
    return { type: 'unavailable', body: { message: `Your code could not be run: ${result.error.message}${at}` } };
  }
  const bad = !result.data || typeof result.data !== 'object' ? 'no data' : validate?.(result.data);
  if (bad) return { type: 'unavailable', body: { message: 'The compute process sent data the panel cannot draw.', detail: bad } };
  return { type: 'view', body: { view, data: result.data, labTitle: labTitle ?? '', updatedAt: now.toISOString() } };
}

export class LabViewController {
  private input: Record<string, unknown> | undefined;
  private ready = false;
  private disposed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private generation = 0;
  private running: Promise<void> = Promise.resolve();
  private readonly debounceMs: number;
  /** The data last sent to the panel (the integration suite reads it). */
  lastData: unknown;

  constructor(private readonly options: LabViewControllerOptions) {
    this.debounceMs = options.debounceMs ?? 150;
  }

  /** The page loaded. It sends its (possibly restored) inputs right after; nothing runs before. */
  onReady(): void {
    this.ready = true;
  }

  /** The learner edited the inputs. Returns why the body was refused, if it was. */
  onRequest(body: unknown): string | undefined {
    const parsed = parseLabViewRequest(body);
    if (typeof parsed === 'string') return parsed;
    this.input = parsed;
    this.ready = true;
    this.schedule();
    return undefined;
  }

  /** Computes now with the current inputs (checks re-ran). */
  refresh(): void {
    if (!this.ready || this.disposed || !this.input) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.run();
  }

  /** Resolves when the latest computation (scheduled or running) has posted or been dropped. */
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

  private schedule(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.run();
    }, this.debounceMs);
  }

  private async run(): Promise<void> {
    const input = this.input;
    if (!input) return;
    const generation = ++this.generation;
    this.inFlight?.abort();
    const ac = new AbortController();
    this.inFlight = ac;
    const { view, source, post, busyReason, validate } = this.options;
    post({ type: 'busy', body: { reason: busyReason } });
    let message: HostToLabViewMessage;
    try {
      const result = await source.compute(view, { ...input }, ac.signal);
      message = toLabViewMessage(view, result, source.labTitle(), (this.options.now ?? (() => new Date()))(), validate);
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' || ac.signal.aborted) return;
      const detail = err instanceof Error ? err.message : String(err);
      message = { type: 'unavailable', body: { message: 'The compute process could not run your code. See the Transformer Labs Compute log.', detail } };
    }
    // A later request started after this one: its answer wins.
    if (generation !== this.generation || this.disposed) return;
    if (this.inFlight === ac) this.inFlight = undefined;
    if (message.type === 'view') this.lastData = message.body.data;
    post(message);
  }
}
