// Where each exercise function's name is in the learner's text, so diagnostics and CodeLenses
// sit on the function the check is about. Plain text scanning: no vscode, unit-testable.

export interface NameRange {
  name: string;
  /** 0-based line and columns of the function's name. */
  line: number;
  start: number;
  end: number;
}

const PATTERNS = [
  /^\s*export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/d,
  /^\s*export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*[:=]/d,
];

export function findFunctionRanges(text: string, names: readonly string[]): Map<string, NameRange> {
  const wanted = new Set(names);
  const found = new Map<string, NameRange>();
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, line) => {
    for (const re of PATTERNS) {
      const m = re.exec(lineText);
      if (m && wanted.has(m[1]) && !found.has(m[1])) {
        const [start, end] = m.indices![1];
        found.set(m[1], { name: m[1], line, start, end });
      }
    }
  });
  return found;
}
