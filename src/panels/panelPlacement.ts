// Where a lab panel opens: after the lab's editors are laid out (so the instructions preview
// cannot land on top of it later), in the column right of the learner's code, without taking
// the keyboard from the editor.
import * as vscode from 'vscode';
import { editorLayoutSettled } from '../labs/editorLayout';
import type { LabRegistry } from '../labs/labRegistry';
import { columnBesideCode, type EditorPlace } from './panelColumn';

export interface PanelPlacement {
  viewColumn: vscode.ViewColumn;
  preserveFocus: true;
}

export async function panelPlacement(registry: LabRegistry): Promise<PanelPlacement> {
  await editorLayoutSettled();
  const place = (e: vscode.TextEditor): EditorPlace => ({ exercise: registry.exerciseFileOf(e.document.uri) !== undefined, column: e.viewColumn });
  const active = vscode.window.activeTextEditor;
  const column = columnBesideCode(active && place(active), vscode.window.visibleTextEditors.map(place));
  return { viewColumn: column ?? vscode.ViewColumn.Beside, preserveFocus: true };
}
