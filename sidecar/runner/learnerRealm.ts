// The realm learner code runs in: a fresh vm context per run, with its own built-ins, so what
// learner code patches (Math.random, Array.prototype.every, Object.prototype) changes only its
// own world, never the checks'. It holds no Node.js (no require, process, Buffer, timers), no
// network APIs (fetch, WebSocket, XMLHttpRequest), no code generation from strings or wasm,
// no SharedArrayBuffer/Atomics (to block on) and no WeakRef/FinalizationRegistry (callbacks
// that would run after the run ended). Reaching for any of these is refused with a sentence
// that names it. Its Error.prepareStackTrace is locked: a stack trace API would hand learner
// code the checks' stack frames. This realm is the clear-message layer; the process around it
// (containment.ts) is the boundary.
import * as vm from 'node:vm';
import { LearnerError } from './learnerErrors';

/** Learner console output per run: beyond this it is cut, and the log says so. */
export const CONSOLE_MAX_LINES = 200;
export const CONSOLE_MAX_BYTES = 64 * 1024;
const CONSOLE_MAX_LINE = 2000;

const REFUSED: Record<string, string> = {
  fetch: 'lab code has no network',
  WebSocket: 'lab code has no network',
  XMLHttpRequest: 'lab code has no network',
  EventSource: 'lab code has no network',
  require: 'use an import of "@tensorflow/tfjs" or "@transformer-labs/helpers"',
  Buffer: 'use arrays or typed arrays',
  setTimeout: 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async',
  setInterval: 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async',
  setImmediate: 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async',
  queueMicrotask: 'lab code has no timers or job queue: a function returns its result, or awaits tensor reads where the lab lets it be async',
  WebAssembly: 'lab code runs TensorFlow.js, not its own WebAssembly',
  SharedArrayBuffer: 'lab code has no threads to share memory with',
  Atomics: 'lab code has no threads to wait for',
  WeakRef: 'lab code may not run after its run has ended',
  FinalizationRegistry: 'lab code may not run after its run has ended',
};

/** Counts a run's console output and drops what goes past the cap. */
export class ConsoleBudget {
  private lines = 0;
  private bytes = 0;
  private droppedLines = 0;

  constructor(private readonly log: (line: string) => void) {}

  get full(): boolean {
    return this.lines >= CONSOLE_MAX_LINES || this.bytes >= CONSOLE_MAX_BYTES;
  }

  write(line: string): void {
    if (this.full) {
      this.droppedLines++;
      return;
    }
    const more = line.length - CONSOLE_MAX_LINE;
    const text = more > 0 ? `${line.slice(0, CONSOLE_MAX_LINE)}… (${more} more character${more === 1 ? '' : 's'})` : line;
    this.lines++;
    this.bytes += text.length;
    this.log(text);
  }

  /** The sentence that says output was cut, or undefined when nothing was. */
  summary(): string | undefined {
    if (this.droppedLines === 0) return undefined;
    return `console output cut: ${this.droppedLines} more line${this.droppedLines === 1 ? '' : 's'} not shown (lab code may print ${CONSOLE_MAX_LINES} lines or ${CONSOLE_MAX_BYTES / 1024} KB per run)`;
  }
}

function safeInspect(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    // Stryker disable next-line ConditionalExpression: without the first test, undefined.length throws and the catch below gives the same String(v)
    return s === undefined ? String(v) : s.length > CONSOLE_MAX_LINE ? s.slice(0, CONSOLE_MAX_LINE) + '…' : s;
  } catch {
    try {
      return String(v);
    } catch {
      return '[a value that cannot be printed]';
    }
  }
}

function consoleShim(budget: ConsoleBudget): object {
  const print = (...args: unknown[]) => {
    // Past the cap nothing is formatted: a log in a tight loop costs almost nothing.
    // Stryker disable next-line ConditionalExpression,StringLiteral: past the cap a line is only counted, never printed; formatting it would count the same (this saves the time)
    if (budget.full) budget.write('');
    else budget.write(args.map((a) => (typeof a === 'string' ? a : safeInspect(a))).join(' '));
  };
  return Object.freeze({ log: print, info: print, warn: print, error: print, debug: print, table: print, trace: print, dir: print });
}

function processShim(): object {
  const refuse = (what: string) => () => {
    throw new LearnerError(`${what} is not available in lab code: your functions should return their result`);
  };
  return Object.freeze({
    exit: refuse('process.exit'),
    abort: refuse('process.abort'),
    kill: refuse('process.kill'),
    env: Object.freeze({}),
    argv: Object.freeze([]),
    platform: 'sandbox',
    versions: Object.freeze({}),
  });
}

// Runs inside each new context, on its own built-ins.
const SETUP = new vm.Script(
  `(function (refused, refuse) {
  'use strict';
  const g = globalThis;
  Object.defineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  Object.defineProperty(g, 'Error', { value: Error, writable: false, enumerable: false, configurable: false });
  for (const name of refused) {
    delete g[name];
    Object.defineProperty(g, name, { get: refuse(name), enumerable: false, configurable: false });
  }
})`,
  // Stryker disable next-line ObjectLiteral,StringLiteral: the name shows only in a stack trace of this setup, which never throws
  { filename: 'transformer-labs:learner-realm-setup' },
);

function refuseGlobal(name: string): () => never {
  return () => {
    throw new LearnerError(`${name} is not available in lab code: ${REFUSED[name]}`);
  };
}

/** A fresh realm for one run, with `globals` (TensorFlow.js's typed arrays, …) added. */
export function createLearnerContext(budget: ConsoleBudget, globals: Record<string, unknown>): vm.Context {
  const context = vm.createContext(
    { ...globals, console: consoleShim(budget), process: processShim() },
    // Stryker disable next-line StringLiteral,BooleanLiteral: the name shows only in a debugger; wasm is a second lock behind the refused WebAssembly global, which leaves this realm no way to compile a module
    { name: 'transformer-labs learner code', codeGeneration: { strings: false, wasm: false } },
  );
  (SETUP.runInContext(context) as (names: string[], refuse: (n: string) => () => never) => void)(Object.keys(REFUSED), refuseGlobal);
  return context;
}
