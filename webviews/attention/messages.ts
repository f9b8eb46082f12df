// The webview end of the lab-view protocol (core/protocol/labView.ts, shared with every lab
// panel), and the state VS Code keeps for a hidden panel (so retainContextWhenHidden is not needed).
import type { HostToLabViewMessage, LabViewToHostMessage } from '../../core/protocol/labView';

interface VsCodeApi {
  postMessage(message: LabViewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called only once per page.
const api = acquireVsCodeApi();

export function send(message: LabViewToHostMessage): void {
  api.postMessage(message);
}

export function loadState(): unknown {
  return api.getState();
}

export function saveState(state: unknown): void {
  api.setState(state);
}

const TYPES = new Set(['view', 'busy', 'unavailable']);

/** Messages for this view (another view's numbers are ignored). */
export function onMessage(view: string, handler: (message: HostToLabViewMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data as { type?: unknown; body?: { view?: unknown } } | null;
    // Only the extension posts here, but other frames (devtools, extensions) can too.
    if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !TYPES.has(m.type) || !m.body || typeof m.body !== 'object') return;
    if (m.type === 'view' && m.body.view !== view) return;
    handler(m as HostToLabViewMessage);
  });
}
