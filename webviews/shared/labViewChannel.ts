// The page end of the lab-view protocol (core/protocol/labView.ts), for every lab panel: posts to
// the extension, hands over the messages meant for this view (other frames can post too), and
// keeps the page's state across hide/show with vscode.setState (no retainContextWhenHidden).
import type { HostToLabViewMessage, LabViewToHostMessage } from '../../core/protocol/labView';

interface VsCodeApi {
  postMessage(message: LabViewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface LabViewChannel {
  send(message: LabViewToHostMessage): void;
  /** What the page saved before it was hidden or reloaded (undefined on a new page). */
  readonly saved: unknown;
  save(state: unknown): void;
}

const TYPES = new Set(['view', 'busy', 'unavailable']);

/** Call once per page: acquireVsCodeApi may be called only once. */
export function connectLabView(view: string, onMessage: (message: HostToLabViewMessage) => void): LabViewChannel {
  const api = acquireVsCodeApi();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data as { type?: unknown; body?: { view?: unknown } } | null;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !TYPES.has(m.type) || !m.body || typeof m.body !== 'object') return;
    // "*": the generic page (webviews/lab-data) draws whichever view its panel was opened for.
    if (m.type === 'view' && view !== '*' && m.body.view !== view) return;
    onMessage(m as HostToLabViewMessage);
  });
  return { send: (m) => api.postMessage(m), saved: api.getState() ?? undefined, save: (s) => api.setState(s) };
}
