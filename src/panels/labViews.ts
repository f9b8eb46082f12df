// The lab view panels the extension knows how to draw, by visualization id, and the picker
// behind "Show Lab Panel".
import * as vscode from 'vscode';
import type { LabRegistry } from '../labs/labRegistry';
import type { LabViewKind } from './labViewPanel';
import type { VisualizationSpec } from '../../core/labs/manifest';
import { TRAINING_VIEW } from './trainingData';
import { checkAttentionData, parseAttentionInput } from './panelMessages';

/** Says which top-level fields are missing, so a malformed payload is named, not drawn blank. */
function requireFields(...fields: string[]): (data: unknown) => string | undefined {
  return (data) => {
    const d = data as Record<string, unknown>;
    const missing = fields.filter((f) => d[f] === undefined || d[f] === null);
    return missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
  };
}

/** Every lab view with a webview bundle (webviews/<id>/main.ts). Lab 5's training panel has its own. */
export const LAB_VIEWS: Record<string, LabViewKind> = {
  attention: { id: 'attention', title: vscode.l10n.t('Attention'), busyReason: vscode.l10n.t('Running your attention function…'), validate: checkAttentionData, parseInput: parseAttentionInput },
  block: { id: 'block', title: vscode.l10n.t('Transformer Block'), busyReason: vscode.l10n.t('Running your block stack (Pre-LN and Post-LN)…'), validate: requireFields('runs', 'tokens', 'input') },
  positions: { id: 'positions', title: vscode.l10n.t('Positional Encodings'), busyReason: vscode.l10n.t('Running your positional encodings…'), validate: requireFields('sinusoidal', 'similarity', 'ropeRotation', 'alibi', 'extrapolation') },
  decoding: { id: 'decoding', title: vscode.l10n.t('Decoding'), busyReason: vscode.l10n.t('Generating with your decoding strategy…'), validate: requireFields('settings', 'distribution', 'generation') },
  'model-attention': { id: 'model-attention', title: vscode.l10n.t('Attention in the mini-GPT'), busyReason: vscode.l10n.t('Running your attention inside the trained model…'), validate: requireFields('tokens', 'maps', 'generated') },
  profile: { id: 'profile', title: vscode.l10n.t('Complexity Profiler'), busyReason: vscode.l10n.t('Profiling your attention at growing N (each size runs in the compute process)…'), validate: requireFields('settings', 'series'), manualRefresh: true },
  tokens: { id: 'tokens', title: vscode.l10n.t('Tokens'), busyReason: vscode.l10n.t('Training your tokenizer and encoding the text…'), validate: requireFields('settings', 'trained', 'gpt2', 'study'), selectionInput: 'text' },
};

/**
 * A view with no page of its own (a lab outside the build: transformerLabs.labPaths): the generic
 * page (webviews/lab-data) draws whatever JSON the lab's visualize function returns. Not restored
 * after a reload: which lab's view it was lives only in the lab folder.
 */
export function labDataView(spec: VisualizationSpec): LabViewKind {
  return {
    id: spec.id,
    page: LAB_DATA_PAGE,
    title: spec.title,
    busyReason: vscode.l10n.t('Running your {0}()…', spec.function),
    validate: (data) => (data !== null && typeof data === 'object' ? undefined : 'the view returned no object'),
  };
}

/** The bundle of the generic page. */
export const LAB_DATA_PAGE = 'lab-data';

/** The view with a panel class of its own rather than a LabViewPanel. */
type OwnPanel = typeof TRAINING_VIEW;

/**
 * The panel to open: `viewId` when given, else the current lab's only view, else a pick among
 * the lab's views. 'training' means Lab 5's training panel.
 */
export async function pickLabView(registry: LabRegistry, viewId?: string): Promise<LabViewKind | OwnPanel | undefined> {
  const a = registry.current;
  if (!a) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: open a lab folder first (Open Lab…).'));
    return undefined;
  }
  const own = (id: string): id is OwnPanel => id === TRAINING_VIEW;
  // A built-in lab's views each have a page; a lab outside the build draws its others on the generic one.
  const external = a.lab.checksSource !== undefined;
  const views = a.lab.manifest.visualizations.filter((v) => own(v.id) || LAB_VIEWS[v.id] || external);
  const known = (id: string) => (own(id) ? id : (LAB_VIEWS[id] ?? labDataView(views.find((v) => v.id === id)!)));
  if (viewId) {
    if (!views.some((v) => v.id === viewId)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: {0} has no "{1}" panel.', a.lab.manifest.title, viewId));
      return undefined;
    }
    return known(viewId);
  }
  if (views.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Labs: {0} has no panel.', a.lab.manifest.title));
    return undefined;
  }
  if (views.length === 1) return known(views[0].id);
  const pick = await vscode.window.showQuickPick(
    views.map((v) => ({ label: v.title, description: vscode.l10n.t('{0} · {1}()', v.file, v.function), id: v.id })),
    { title: vscode.l10n.t('{0}: which panel?', a.lab.manifest.title) },
  );
  return pick ? known(pick.id) : undefined;
}
