// What the attention panel needs from the rest of the extension.
import type { AttentionViewInput, VisualizeResult } from '../../core/protocol/sidecar';

export interface AttentionSource {
  /** Runs the learner's attention on the input, in the sidecar. */
  compute(input: AttentionViewInput, signal: AbortSignal): Promise<VisualizeResult | { unavailable: string }>;
  labTitle(): string | undefined;
  revealFunction(name: string): void;
}
