// The webview side of the typed message map, and state kept across panel hides.
import type { HostToPanelMessage, PanelToHostMessage } from '../../core/protocol/webview';

interface VsCodeApi {
  postMessage(message: PanelToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode = acquireVsCodeApi();

export function send(message: PanelToHostMessage): void {
  vscode.postMessage(message);
}

export function onMessage(handler: (message: HostToPanelMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent<HostToPanelMessage>) => handler(event.data));
}
