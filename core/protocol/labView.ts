// The extension↔lab-view-panel protocol (every lab's panel but Lab 5's training panel):
// typed postMessage maps, as in vscode-jupyter. The payloads are each view's own types
// (core/protocol/views/*, AttentionViewData in ./sidecar); the envelope is shared. Shared by
// src/panels (host) and webviews/* (browser): no Node or vscode imports.

/** One message of a map: its key as `type`, its payload as `body`. */
export type Envelope<M> = { [K in keyof M]: { type: K; body: M[K] } }[keyof M];

/** Messages the extension sends to a lab view panel. */
export interface HostToLabView {
  /** New numbers for the view, computed in the sidecar by the lab's visualize function. */
  view: { view: string; data: unknown; labTitle: string; updatedAt: string };
  /** A computation is running (keep the old picture, show progress). */
  busy: { reason: string };
  /** Nothing to draw, and why (no lab open, code does not compile, sidecar down). */
  unavailable: { message: string; detail?: string };
}

/** Messages a lab view panel sends to the extension. */
export interface LabViewToHost {
  /** The page loaded its script. */
  ready: Record<string, never>;
  /** The learner changed the panel's inputs (the view's own input type, as a plain object). */
  request: { input: Record<string, unknown> };
  /** Open the learner's exercise function in the editor. */
  revealFunction: { name: string };
}

export type HostToLabViewMessage = Envelope<HostToLabView>;
export type LabViewToHostMessage = Envelope<LabViewToHost>;

/** Largest request the host accepts (the inputs are a few numbers and a sentence). */
export const MAX_REQUEST_JSON_CHARS = 4000;
