// Open Lab shows a lab's instructions in a locked Markdown preview (openLab.ts), one per lab. The
// previews of the labs left behind are closed: one lab's instructions beside its code, and tabs
// that all read "[Preview] INSTRUCTIONS.md" would not say which lab each one is. No vscode import:
// the tab groups are passed in.

export interface TabLike {
  label: string;
  isActive: boolean;
  input: unknown;
}

/** A Markdown preview's tab input (VS Code's TabInputWebview, viewType "…markdown.preview"). */
function isMarkdownPreview(input: unknown): boolean {
  const viewType = (input as { viewType?: unknown } | undefined)?.viewType;
  return typeof viewType === 'string' && viewType.endsWith('markdown.preview');
}

/**
 * The Markdown previews of `file` (the instructions' file name). The tab's label is the only place
 * the file shows ("[Preview] INSTRUCTIONS.md", translated around the name).
 */
export function instructionPreviews<T extends TabLike>(groups: readonly { tabs: readonly T[] }[], file: string): T[] {
  return groups.flatMap((g) => g.tabs.filter((t) => isMarkdownPreview(t.input) && t.label.includes(file)));
}

/**
 * The previews of `file` (the instructions' file name) that are not in front of their group: the
 * one just shown for the lab opened is, so these are the other labs'.
 */
export function staleInstructionTabs<T extends TabLike>(groups: readonly { tabs: readonly T[] }[], file: string): T[] {
  return instructionPreviews(groups, file).filter((t) => !t.isActive);
}
