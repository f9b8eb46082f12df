// What the attention panel needs from the rest of the extension. No vscode import: the
// panel's controller is unit-tested in plain Node.
import type { AttentionViewInput, VisualizeResult } from '../../core/protocol/sidecar';

/** Nothing can be computed, and why in words for the learner ("Open a lab workspace"). */
export interface AttentionUnavailable {
  unavailable: string;
  detail?: string;
}

export interface AttentionSource {
  /**
   * Runs the learner's attention on the input, in the sidecar. May reject with an AbortError
   * once `signal` aborts. Returning `{ unavailable }` is optional: a plain VisualizeResult
   * source satisfies this interface too.
   */
  compute(input: AttentionViewInput, signal: AbortSignal): Promise<VisualizeResult | AttentionUnavailable>;
  labTitle(): string | undefined;
  /** Opens the learner's exercise function (e.g. "attention") in the editor. */
  revealFunction(name: string): void;
}
