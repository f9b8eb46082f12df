// Waiting in the extension host: checks run in the sidecar, so results arrive asynchronously.
import * as vscode from 'vscode';

/** Polls `probe` until it returns a value other than undefined, or fails naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The Transformer Labs diagnostics of a file whose code (the check id) starts with `prefix`. */
export function labDiagnostics(uri: vscode.Uri, prefix: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'Transformer Labs' && typeof d.code === 'string' && d.code.startsWith(prefix));
}

/** Replaces the body of `export function <name>` (up to its closing brace at column 0) and saves. */
export async function replaceFunction(doc: vscode.TextDocument, name: string, source: string): Promise<void> {
  const text = doc.getText();
  const start = text.indexOf(`export function ${name}(`);
  if (start < 0) throw new Error(`${doc.uri.fsPath} has no "export function ${name}("`);
  const end = text.indexOf('\n}', start);
  if (end < 0) throw new Error(`the function ${name} in ${doc.uri.fsPath} has no closing brace at the start of a line`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(end + 2)), source.trim());
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${doc.uri.fsPath}`);
  // A file scaffolded a moment ago can still be settling in the workbench's file service
  // (seen about once in five runs in code-server): one retry after a pause.
  if (!(await doc.save())) {
    await new Promise((r) => setTimeout(r, 750));
    if (doc.isDirty && !(await doc.save())) throw new Error(`could not save ${doc.uri.fsPath}`);
  }
}
