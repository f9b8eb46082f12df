// The lab view panels the extension knows how to draw, by visualization id, and the picker
// behind "Show Lab Panel".
import * as vscode from 'vscode';
import type { LabRegistry } from '../labs/labRegistry';
import type { LabViewKind } from './labViewPanel';
import { TRAINING_VIEW } from './trainingData';

/** Says which top-level fields are missing, so a malformed payload is named, not drawn blank. */
function requireFields(...fields: string[]): (data: unknown) => string | undefined {
  return (data) => {
    const d = data as Record<string, unknown>;
    const missing = fields.filter((f) => d[f] === undefined || d[f] === null);
    return missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
  };
}

/** Every lab view with a webview bundle (webviews/<id>/main.ts). "attention" has its own panel. */
export const LAB_VIEWS: Record<string, LabViewKind> = {
  block: { id: 'block', title: 'Transformer Block', busyReason: 'Running your block stack (Pre-LN and Post-LN)…', validate: requireFields('runs', 'tokens', 'input') },
  positions: { id: 'positions', title: 'Positional Encodings', busyReason: 'Running your positional encodings…', validate: requireFields('sinusoidal', 'similarity', 'ropeRotation', 'alibi', 'extrapolation') },
  decoding: { id: 'decoding', title: 'Decoding', busyReason: 'Generating with your decoding strategy…', validate: requireFields('settings', 'distribution', 'generation') },
  'model-attention': { id: 'model-attention', title: 'Attention in the mini-GPT', busyReason: 'Running your attention inside the trained model…', validate: requireFields('tokens', 'maps', 'generated') },
  tokens: { id: 'tokens', title: 'Tokens', busyReason: 'Training your tokenizer and encoding the text…', validate: requireFields('settings', 'trained', 'gpt2', 'study'), selectionInput: 'text' },
};

/** Views with a panel class of their own rather than a LabViewPanel. */
type OwnPanel = 'attention' | typeof TRAINING_VIEW;

/**
 * The panel to open: `viewId` when given, else the current lab's only view, else a pick among
 * the lab's views. 'attention' means the attention panel, 'training' Lab 5's training panel.
 */
export async function pickLabView(registry: LabRegistry, viewId?: string): Promise<LabViewKind | OwnPanel | undefined> {
  const a = registry.current;
  if (!a) {
    void vscode.window.showInformationMessage('Transformer Labs: open a lab folder first (Open Lab…).');
    return undefined;
  }
  const own = (id: string): id is OwnPanel => id === 'attention' || id === TRAINING_VIEW;
  const views = a.lab.manifest.visualizations.filter((v) => own(v.id) || LAB_VIEWS[v.id]);
  const known = (id: string) => (own(id) ? id : LAB_VIEWS[id]);
  if (viewId) {
    if (!views.some((v) => v.id === viewId)) {
      void vscode.window.showInformationMessage(`Transformer Labs: ${a.lab.manifest.title} has no "${viewId}" panel.`);
      return undefined;
    }
    return known(viewId);
  }
  if (views.length === 0) {
    void vscode.window.showInformationMessage(`Transformer Labs: ${a.lab.manifest.title} has no panel.`);
    return undefined;
  }
  if (views.length === 1) return known(views[0].id);
  const pick = await vscode.window.showQuickPick(
    views.map((v) => ({ label: v.title, description: `${v.file} · ${v.function}()`, id: v.id })),
    { title: `${a.lab.manifest.title}: which panel?` },
  );
  return pick ? known(pick.id) : undefined;
}
