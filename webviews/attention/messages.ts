// The webview end of the typed message maps in core/protocol/webview.ts, and the state
// VS Code keeps for a hidden panel (so retainContextWhenHidden is not needed).
import type { HostToPanelMessage, PanelToHostMessage } from '../../core/protocol/webview';

interface VsCodeApi {
  postMessage(message: PanelToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called only once per page.
const api = acquireVsCodeApi();

export function send(message: PanelToHostMessage): void {
  api.postMessage(message);
}

export function loadState(): unknown {
  return api.getState();
}

export function saveState(state: unknown): void {
  api.setState(state);
}

const TYPES = new Set(['attention', 'busy', 'unavailable']);

export function onMessage(handler: (message: HostToPanelMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data as { type?: unknown; body?: unknown } | null;
    // Only the extension posts here, but other frames (devtools, extensions) can too.
    if (m && typeof m === 'object' && typeof m.type === 'string' && TYPES.has(m.type) && m.body && typeof m.body === 'object') {
      handler(m as HostToPanelMessage);
    }
  });
}
