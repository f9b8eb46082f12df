// Errors raised by or about learner code, mapped back to the learner's own TypeScript lines.
import { SourceMapConsumer } from 'source-map-js';
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
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? STARTER_TODO.exec(message)?.[1] : undefined;
}

export class SourceMaps {
  private readonly consumers = new Map<string, SourceMapConsumer>();
  constructor(files: TranspiledFile[]) {
    for (const f of files) {
      if (f.map) this.consumers.set(f.path, new SourceMapConsumer(JSON.parse(f.map)));
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
      const pos = consumer.originalPositionFor({ line: jsLine, column: jsColumn - 1 });
      if (pos.line == null) return { file, line: jsLine, column: jsColumn };
      return { file, line: pos.line, column: (pos.column ?? 0) + 1 };
    }
    return undefined;
  }
}

function isStackOverflow(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e?.name === 'RangeError' && /call stack/i.test(e.message ?? '');
}

/** Turns anything learner code threw into a LearnerError with a clear message and line. */
export function toLearnerError(err: unknown, maps: SourceMaps, fnName?: string): LearnerError {
  if (err instanceof LearnerError) return err.location ? err : new LearnerError(err.message, maps.locate(err.stack));
  const e = err as { name?: string; message?: string; stack?: string };
  const where = maps.locate(e?.stack);
  const todo = starterTodo(err);
  if (todo) return new LearnerError(`${todo}() is not started yet: it still throws its TODO`, where, todo);
  if (isStackOverflow(err)) {
    return new LearnerError(
      `${fnName ?? 'your code'} recursed without end (maximum call stack size exceeded)`,
      where,
    );
  }
  const text = e && typeof e === 'object' && 'message' in e ? `${e.name ?? 'Error'}: ${e.message}` : `threw ${String(err)}`;
  const prefix = fnName ? `${fnName} threw ` : 'threw ';
  const loc = where ? ` (${where.file}:${where.line})` : '';
  return new LearnerError(`${prefix}${text}${loc}`, where);
}
