// The attention panel's host-side behaviour without the vscode API: debounces the panel's
// requests, aborts a superseded computation, drops stale answers (the latest request wins),
// and translates answers into panel messages. AttentionPanel wires it to a WebviewPanel.
import type { AttentionViewData, AttentionViewInput } from '../../core/protocol/sidecar';
import type { HostToPanelMessage } from '../../core/protocol/webview';
import type { AttentionSource } from './attentionSource';
import { DEFAULT_INPUT, failureMessage, parseRequest, toPanelMessage } from './panelMessages';

export interface ControllerOptions {
  source: Pick<AttentionSource, 'compute' | 'labTitle'>;
  post(message: HostToPanelMessage): void;
  /** Quiet time after the last panel request before computing. */
  debounceMs?: number;
  now?: () => Date;
}

const BUSY_REASON = 'Running your attention function…';

export class AttentionController {
  private input: Required<AttentionViewInput> = { ...DEFAULT_INPUT };
  private ready = false;
  private disposed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private generation = 0;
  private running: Promise<void> = Promise.resolve();
  private readonly debounceMs: number;
  /** The data last sent to the panel (integration tests read it). */
  lastData: AttentionViewData | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.debounceMs = options.debounceMs ?? 150;
  }

  get currentInput(): Required<AttentionViewInput> {
    return { ...this.input };
  }

  /** The panel loaded its script. It sends its (possibly restored) inputs right after. */
  onReady(): void {
    this.ready = true;
    this.schedule();
  }

  /** The learner edited an input. Returns why the body was refused, if it was. */
  onRequest(body: unknown): string | undefined {
    const parsed = parseRequest(body);
    if (typeof parsed === 'string') return parsed;
    this.input = parsed;
    if (this.ready) this.schedule();
    return undefined;
  }

  /** Computes now with the current inputs (checks re-ran, the panel was shown again). */
  refresh(): void {
    if (!this.ready || this.disposed) return;
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
    const generation = ++this.generation;
    this.inFlight?.abort();
    const ac = new AbortController();
    this.inFlight = ac;
    this.options.post({ type: 'busy', body: { reason: BUSY_REASON } });
    let message: HostToPanelMessage;
    try {
      const result = await this.options.source.compute({ ...this.input }, ac.signal);
      message = toPanelMessage(result, this.options.source.labTitle(), (this.options.now ?? (() => new Date()))());
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' || ac.signal.aborted) return;
      message = failureMessage(err);
    }
    // A later request started after this one: its answer wins, even if this one is newer to arrive.
    if (generation !== this.generation || this.disposed) return;
    if (this.inFlight === ac) this.inFlight = undefined;
    if (message.type === 'attention') this.lastData = message.body.data;
    this.options.post(message);
  }
}
