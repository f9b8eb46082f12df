// Every command the extension contributes, as one typed table (rust-analyzer style).
import * as vscode from 'vscode';
import { reportError } from './reportError';

export type CommandId =
  | 'transformerLabs.openLab'
  | 'transformerLabs.chooseLabFolder'
  | 'transformerLabs.runChecks'
  | 'transformerLabs.gradeLab'
  | 'transformerLabs.showAttentionPanel'
  | 'transformerLabs.showLabPanel'
  | 'transformerLabs.resetLab'
  | 'transformerLabs.selectBackend'
  | 'transformerLabs.setupGpu'
  | 'transformerLabs.showComputeLog'
  | 'transformerLabs.showInstructions'
  | 'transformerLabs.showCheckDetails'
  | 'transformerLabs.showHint'
  | 'transformerLabs.switchReusedFile'
  | 'transformerLabs.startCourse'
  | 'transformerLabs.showProfiler'
  | 'transformerLabs.answerQuiz'
  | 'transformerLabs.showQuizPanel'
  | 'transformerLabs.course.continue'
  | 'transformerLabs.course.refresh'
  | 'transformerLabs.course.openLab'
  | 'transformerLabs.course.runChecks'
  | 'transformerLabs.course.grade'
  | 'transformerLabs.course.reset'
  | 'transformerLabs.course.showHint'
  | 'transformerLabs.course.goToFunction'
  | 'transformerLabs.course.showCheck';

export type CommandTable = Record<CommandId, (...args: any[]) => unknown>;

/** Registers the table; a command that throws is reported with its stack in `output` and a Show Log button. */
export function registerCommands(table: CommandTable, output: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(table).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          reportError(output, (err as Error).message, err);
          return undefined;
        }
      }),
    ),
  );
}
