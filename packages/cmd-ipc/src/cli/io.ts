/** Where a CLI command reads and writes; the real process streams in main.ts, so commands stay testable. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks the command to stop (Ctrl-C, SIGTERM). */
  stopRequested: Promise<string>;
}
