// What the command line reads from and writes to its process, as one object: cli/main.ts passes the
// real process; the tests run the whole CLI inside their own process with a recording one, so that
// a coverage tool (and Stryker's mutant switch) sees the CLI's code run.

export interface CliIo {
  /** A line (or lines) on standard output. */
  out(text: string): void;
  /** A line (or lines) on standard error. */
  err(text: string): void;
  /** Raw text on standard error (progress lines that rewrite themselves). */
  errWrite(text: string): void;
  /** Whether standard error is a terminal, and its width when it is. */
  readonly errTty: boolean;
  readonly errColumns?: number;
  readonly env: NodeJS.ProcessEnv;
  /** Calls `handler` on Ctrl+C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process at once (a second Ctrl+C). */
  exitNow(code: number): void;
}

export function processIo(): CliIo {
  return {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    errWrite: (text) => process.stderr.write(text),
    errTty: process.stderr.isTTY === true,
    errColumns: process.stderr.columns,
    env: process.env,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    exitNow: (code) => process.exit(code),
  };
}
