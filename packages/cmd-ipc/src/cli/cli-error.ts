import { EXIT_CODES, type ExitCodeName } from './exit-codes.js';

/**
 * A failure the CLI reports to a person: a stable `code`, a message naming what failed, and
 * optionally a hint saying what to do about it. The exit code follows from the code.
 */
export class CliError extends Error {
  readonly code: ExitCodeName;
  readonly hint: string | undefined;

  constructor(code: ExitCodeName, message: string, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.hint = hint;
  }

  /** The process exit code for this failure. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}
