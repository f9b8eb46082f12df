// Reads the source maps TypeScript writes for learner files (version 3, base64 VLQ mappings) to
// turn a line and column of the transpiled JavaScript into the learner's TypeScript position.
// Written here rather than taken from a source-map library: the check process refuses code
// generation from strings, and source-map-js compiles its sort routine with `new Function`.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/** One mapping: generated column → original line and column (all 0-based). */
interface Segment {
  column: number;
  originalLine: number;
  originalColumn: number;
}

/** Decodes `mappings` into segments per generated line, each line sorted by column. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [[]];
  let originalLine = 0;
  let originalColumn = 0;
  let column = 0;
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  const endSegment = () => {
    if (values.length === 0) return;
    column += values[0];
    // Segments of one field map a column to no source: nothing to report for them.
    if (values.length >= 4) {
      originalLine += values[2];
      originalColumn += values[3];
      lines[lines.length - 1].push({ column, originalLine, originalColumn });
    }
    values.length = 0;
  };
  for (let i = 0; i < mappings.length; i++) {
    const ch = mappings[i];
    if (ch === ',' || ch === ';') {
      endSegment();
      if (ch === ';') {
        lines.push([]);
        column = 0;
      }
      continue;
    }
    const digit = DIGIT[mappings.charCodeAt(i)] ?? -1;
    if (digit < 0) throw new Error(`invalid source map character "${ch}"`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  endSegment();
  for (const l of lines) l.sort((a, b) => a.column - b.column);
  return lines;
}

export class SourceMap {
  private lines?: Segment[][];
  constructor(private readonly mappings: string) {}

  /** The original position (1-based line, 0-based column) of a generated one, or undefined. */
  originalPositionFor(line: number, column: number): { line: number; column: number } | undefined {
    this.lines ??= decodeMappings(this.mappings);
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let best: Segment | undefined;
    for (const s of segments) {
      if (s.column > column) break;
      best = s;
    }
    return best ? { line: best.originalLine + 1, column: best.originalColumn } : undefined;
  }
}
