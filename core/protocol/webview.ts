// The extension↔attention-panel protocol: typed postMessage maps, as in vscode-jupyter.
// Shared by src/panels (host side) and webviews/attention (browser side). No Node or
// vscode imports here: the webview bundle includes this file.
import type { AttentionMaskKind, AttentionQkvSource, AttentionViewData } from './sidecar';

/** Messages the extension sends to the panel. */
export interface HostToPanel {
  /** New numbers (after a check run, or a request from the panel). */
  attention: { data: AttentionViewData; labTitle: string; updatedAt: string };
  /** The computation is running (show a spinner, keep the old picture). */
  busy: { reason: string };
  /** Nothing to draw, and why (no lab open, code does not compile, sidecar down). */
  unavailable: { message: string; detail?: string };
}

/** Messages the panel sends to the extension. */
export interface PanelToHost {
  /** The panel has loaded its script and can receive messages. */
  ready: Record<string, never>;
  /** The learner edited the sentence, the mask or the head count. */
  request: { sentence: string; mask: AttentionMaskKind; heads: number; padTokens: number; source?: AttentionQkvSource; layer?: number };
  /** Open the learner's exercise function in the editor. */
  revealFunction: { name: string };
}

export type Envelope<M> = { [K in keyof M]: { type: K; body: M[K] } }[keyof M];
export type HostToPanelMessage = Envelope<HostToPanel>;
export type PanelToHostMessage = Envelope<PanelToHost>;
