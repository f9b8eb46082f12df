// Errors raised by or about learner code, mapped back to the learner's own TypeScript lines.
import { SourceMap } from './sourceMap';
import type { SourceLocation } from '../../core/protocol/sidecar';
import type { TranspiledFile } from './transpile';

export const LAB_FILE_PREFIX = 'lab-file:';

/** The learner's code threw, looped, recursed or reached for something it may not use. */
export class LearnerError extends Error {
  readonly location?: SourceLocation;
  /** The exercise function that still throws its starter TODO, when that is what was thrown. */
  readonly todo?: string;
  constructor(message: string, location?: SourceLocation, todo?: string) {
    super(message);
    this.name = 'LearnerError';
    this.location = location;
    this.todo = todo;
  }
}

/**
 * Starters throw `new Error('TODO: implement <name>')`: such a function is not started, which is
 * not a mistake to report (no error in the Problems view, a neutral CodeLens).
 */
const STARTER_TODO = /^TODO: implement ([A-Za-z_$][\w$]*)/;

export function starterTodo(err: unknown): string | undefined {
  const message = read(err, 'message');
  return message === undefined ? undefined : STARTER_TODO.exec(message)?.[1];
}

export class SourceMaps {
  private readonly consumers = new Map<string, SourceMap>();
  constructor(files: TranspiledFile[]) {
    for (const f of files) {
      if (f.map) this.consumers.set(f.path, new SourceMap((JSON.parse(f.map) as { mappings: string }).mappings));
    }
  }

  /** First stack frame inside a learner file, as a TypeScript location. */
  locate(stack: string | undefined): SourceLocation | undefined {
    if (!stack) return undefined;
    const re = new RegExp(`${LAB_FILE_PREFIX}([^:\\s)]+):(\\d+):(\\d+)`);
    for (const line of stack.split('\n')) {
      const m = re.exec(line);
      if (!m) continue;
      const [, file, l, c] = m;
      const consumer = this.consumers.get(file);
      const jsLine = Number(l);
      const jsColumn = Number(c);
      if (!consumer) return { file, line: jsLine, column: jsColumn };
      const pos = consumer.originalPositionFor(jsLine, jsColumn - 1);
      if (!pos) return { file, line: jsLine, column: jsColumn };
      return { file, line: pos.line, column: (pos.column ?? 0) + 1 };
    }
    return undefined;
  }
}

/** A property of whatever learner code threw, as text; never throws (it may be a hostile object). */
function read(e: unknown, key: string): string | undefined {
  try {
    const v = (e as Record<string, unknown>)[key];
    return v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v);
  } catch {
    return undefined;
  }
}

function isLearnerError(err: unknown): err is LearnerError {
  try {
    return err instanceof LearnerError;
  } catch {
    return false;
  }
}

const CODE_GENERATION = /Code generation from strings disallowed|Wasm code generation disallowed/;

/** Turns anything learner code threw into a LearnerError with a clear message and line. */
export function toLearnerError(err: unknown, maps: SourceMaps, fnName?: string): LearnerError {
  if (isLearnerError(err)) return err.location ? err : new LearnerError(err.message, maps.locate(err.stack), err.todo);
  const name = read(err, 'name');
  const message = read(err, 'message');
  const where = maps.locate(read(err, 'stack'));
  const loc = where ? ` (${where.file}:${where.line})` : '';
  const who = fnName ?? 'your code';
  const todo = starterTodo(err);
  if (todo) return new LearnerError(`${todo}() is not started yet: it still throws its TODO`, where, todo);
  if (name === 'RangeError' && /call stack/i.test(message ?? '')) {
    return new LearnerError(`${who} recursed without end (maximum call stack size exceeded)`, where);
  }
  if (CODE_GENERATION.test(message ?? '')) {
    return new LearnerError(
      `${who} used eval or new Function: eval and new Function are not available in lab code, which may not run text as code — write the code itself${loc}`,
      where,
    );
  }
  const isObject = (typeof err === 'object' && err !== null) || typeof err === 'function';
  let text: string;
  // An empty name (an anonymous function thrown, a class that clears it) reads as an Error too.
  if (isObject && message !== undefined) text = `${name || 'Error'}: ${message}`;
  else {
    try {
      text = String(err);
    } catch {
      text = 'a value that cannot be printed';
    }
  }
  const prefix = fnName ? `${fnName} threw ` : 'threw ';
  return new LearnerError(`${prefix}${text}${loc}`, where);
}
