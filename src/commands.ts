// Every command the extension contributes, as one typed table (rust-analyzer style).
import * as vscode from 'vscode';

export type CommandId =
  | 'transformerLabs.openLab'
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
  | 'transformerLabs.switchReusedFile';

export type CommandTable = Record<CommandId, (...args: any[]) => unknown>;

export function registerCommands(table: CommandTable): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(table).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          void vscode.window.showErrorMessage(`Transformer Labs: ${(err as Error).message}`);
          return undefined;
        }
      }),
    ),
  );
}
