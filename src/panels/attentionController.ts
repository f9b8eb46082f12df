// The attention panel's host-side behaviour without the vscode API: debounces the panel's
// requests, aborts a superseded computation, drops stale answers (the latest request wins),
// and translates answers into panel messages. AttentionPanel wires it to a WebviewPanel.
import type { AttentionViewData, AttentionViewInput } from '../../core/protocol/sidecar';
import type { HostToPanelMessage } from '../../core/protocol/webview';
import type { AttentionSource } from './attentionSource';
import { LatestRun } from './latestRun';
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
  private readonly runs: LatestRun<HostToPanelMessage>;
  /** The data last sent to the panel (integration tests read it). */
  lastData: AttentionViewData | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.runs = new LatestRun(options.debounceMs ?? 150, (signal) => this.compute(signal), (message) => {
      if (message.type === 'attention') this.lastData = message.body.data;
      this.options.post(message);
    });
  }

  get currentInput(): Required<AttentionViewInput> {
    return { ...this.input };
  }

  /** The panel loaded its script. It sends its (possibly restored) inputs right after. */
  onReady(): void {
    this.ready = true;
    this.runs.schedule();
  }

  /** The learner edited an input. Returns why the body was refused, if it was. */
  onRequest(body: unknown): string | undefined {
    const parsed = parseRequest(body);
    if (typeof parsed === 'string') return parsed;
    this.input = parsed;
    if (this.ready) this.runs.schedule();
    return undefined;
  }

  /** Computes now with the current inputs (checks re-ran, the panel was shown again). */
  refresh(): void {
    if (!this.ready || this.disposed) return;
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

  private async compute(signal: AbortSignal): Promise<HostToPanelMessage | undefined> {
    this.options.post({ type: 'busy', body: { reason: BUSY_REASON } });
    try {
      const result = await this.options.source.compute({ ...this.input }, signal);
      return toPanelMessage(result, this.options.source.labTitle(), (this.options.now ?? (() => new Date()))());
    } catch (err) {
      if ((err as Error)?.name === 'AbortError' || signal.aborted) return undefined;
      return failureMessage(err);
    }
  }
}
