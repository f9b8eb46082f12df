// The whole command line (cli/run.ts) run inside the test's own process, with what it prints
// recorded: the CLI's code is then seen by coverage and by Stryker's mutant switch, which a child
// process hides. Tests of what only a real process shows (exit by signal, the bundled dist/cli.js)
// start one instead (test/unit/cli/cliProcess.test.ts).
import type { CliIo } from '../../cli/cliIo';
import { runCli } from '../../cli/run';

export interface CliResult {
  code: number;
  out: string;
  err: string;
  /** The code the CLI asked to end the process with at once (a second Ctrl+C); the run goes on here. */
  exitNow?: number;
}

export interface CliRunOptions {
  /** Variables added to the process's environment for this run. */
  env?: NodeJS.ProcessEnv;
  /** The working directory during the run (relative paths resolve against it). */
  cwd?: string;
  /** Called with the Ctrl+C handler the CLI installs, so a test can press it. */
  onInterruptHandler?: (press: () => void) => void;
  /** Told when the CLI takes its Ctrl+C handler down. */
  onInterruptRemoved?: () => void;
  /** Told when the CLI asks to end the process at once. */
  onExitNow?: (code: number) => void;
  /** stderr as a terminal of this width (grade-all then draws its progress bar). */
  tty?: { columns?: number };
  /** Sees each piece of text as it is printed. */
  onOutput?: (stream: 'out' | 'err', text: string, all: string) => void;
}

/** `transformer-labs <args…>` in this process. */
export function cli(...args: string[]): Promise<CliResult> {
  return cliWith(args);
}

export async function cliWith(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  let exitNow: number | undefined;
  const io: CliIo = {
    out: (text) => {
      out += `${text}\n`;
      options.onOutput?.('out', text, out);
    },
    err: (text) => {
      err += `${text}\n`;
      options.onOutput?.('err', text, err);
    },
    errWrite: (text) => {
      err += text;
      options.onOutput?.('err', text, err);
    },
    errTty: options.tty !== undefined,
    errColumns: options.tty?.columns,
    env: { ...process.env, ...options.env },
    onInterrupt(handler) {
      options.onInterruptHandler?.(handler);
      return () => options.onInterruptRemoved?.();
    },
    exitNow: (code) => {
      exitNow ??= code;
      options.onExitNow?.(code);
    },
  };
  const before = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    const code = await runCli(args, io);
    return { code, out, err, ...(exitNow === undefined ? {} : { exitNow }) };
  } finally {
    if (options.cwd) process.chdir(before);
  }
}
