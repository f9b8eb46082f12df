// Where a quiz panel's lab is: the open lab, or in a course any lab folder already created (so a
// panel stays bound to its lab while the learner opens another one).
import * as vscode from 'vscode';
import { labFolder } from '../../core/course/courseLayout';
import type { Lab } from '../../core/labs/manifest';
import { findLabWorkspace } from '../../core/labs/scaffold';
import { quizOf } from '../../core/quiz/quizFile';
import type { LabRegistry } from '../labs/labRegistry';
import type { QuizPanelSource } from '../panels/quizPanel';

/** The folder holding `lab` in this window, if it has been created. */
export function labDirIn(registry: LabRegistry, lab: Lab): string | undefined {
  const a = registry.current;
  if (a?.lab.manifest.id === lab.manifest.id) return a.dir;
  if (!registry.course) return undefined;
  const dir = labFolder(registry.course, lab);
  return findLabWorkspace(dir, { quiet: true })?.labId === lab.manifest.id ? dir : undefined;
}

export function quizPanelSource(registry: LabRegistry, onAnswered: (labId: string) => void, revealFunction: (name: string) => void): QuizPanelSource {
  return {
    load(labId) {
      const lab = registry.labs.labs.find((l) => l.manifest.id === labId);
      if (!lab) return { unavailable: vscode.l10n.t('This version of Transformer Labs has no lab "{0}".', labId) };
      const quiz = quizOf(lab);
      if (!quiz) return { unavailable: vscode.l10n.t('{0} has no mastery questions.', lab.manifest.title) };
      const dir = labDirIn(registry, lab);
      if (!dir) return { unavailable: vscode.l10n.t('{0} is not open in this window: open it (Transformer Labs: Open Lab…) to answer its questions.', lab.manifest.title) };
      return { dir, labId, labTitle: lab.manifest.title, quiz };
    },
    onAnswered,
    async revealFunction(labId, name) {
      // The function is in the lab's folder: that lab becomes the open one first (in a course, in this window).
      if (registry.current?.lab.manifest.id !== labId) await vscode.commands.executeCommand('transformerLabs.openLab', { labId });
      if (registry.current?.lab.manifest.id === labId) revealFunction(name);
    },
  };
}
