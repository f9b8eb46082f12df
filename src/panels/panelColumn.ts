// Which editor column a new lab panel opens in. No vscode import (unit-tested in plain Node).

/** An editor the learner can see: whether it shows one of the lab's exercise files, and its column. */
export interface EditorPlace {
  exercise: boolean;
  /** 1-based; undefined for an editor outside the editor area. */
  column: number | undefined;
}

/**
 * The column right of the learner's code: the active editor's when it shows an exercise file,
 * else the first visible one that does. "Beside the active editor" instead put the panel in a new
 * third column when the instructions preview had focus. Undefined when no code is visible (the
 * caller then opens beside whatever is active).
 */
export function columnBesideCode(active: EditorPlace | undefined, visible: readonly EditorPlace[]): number | undefined {
  const code = active?.exercise && active.column ? active : visible.find((e) => e.exercise && e.column);
  return code?.column ? code.column + 1 : undefined;
}
