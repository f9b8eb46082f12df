// Builds the text a learner would have after fixing some functions: the starter file with
// chosen top-level functions replaced (found with the TypeScript parser, not line numbers,
// so the scenarios survive edits to the starter's comments).
import * as ts from 'typescript';

function functionSpans(text: string): Map<string, { start: number; end: number }> {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true);
  const spans = new Map<string, { start: number; end: number }>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) spans.set(st.name.text, { start: st.getStart(sf), end: st.getEnd() });
  }
  return spans;
}

/** The source of top-level function `name` in `text` (its JSDoc excluded). */
export function functionSource(text: string, name: string): string {
  const span = functionSpans(text).get(name);
  if (!span) throw new Error(`no top-level function ${name}`);
  return text.slice(span.start, span.end);
}

/** `text` with each named function replaced by the given source; `append` goes at the end. */
export function replaceFunctions(text: string, replacements: Record<string, string>, append = ''): string {
  const spans = functionSpans(text);
  const edits = Object.entries(replacements).map(([name, src]) => {
    const span = spans.get(name);
    if (!span) throw new Error(`the starter has no top-level function ${name}`);
    return { ...span, src };
  });
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.src + out.slice(e.end);
  return append ? `${out.trimEnd()}\n\n${append}\n` : out;
}
