// The learner's answers file of a lab folder, watched: the quiz panel and the question list both
// follow answers given in the other (or in another window, or a reset).
import * as vscode from 'vscode';
import { QUIZ_ANSWERS_FILE } from '../../core/quiz/quizAnswers';

export function watchAnswers(labDir: string, onChange: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(labDir), QUIZ_ANSWERS_FILE.split('\\').join('/')));
  return vscode.Disposable.from(watcher, watcher.onDidCreate(onChange), watcher.onDidChange(onChange), watcher.onDidDelete(onChange));
}
