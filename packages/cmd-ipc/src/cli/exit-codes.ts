import type { ExecuteErrorCode } from '../protocol/messages.js';

/**
 * The exit code of every outcome, so scripts can branch on `$?` without parsing text.
 * The five execute error codes of the wire protocol each get their own code (4–8).
 */
export const EXIT_CODES = {
  ok: 0,
  /** Anything unexpected inside the CLI itself. */
  failure: 1,
  /** Bad arguments: unknown option, missing command id, request that is not JSON. */
  usage: 2,
  /** The hub could not be reached, refused the secret, or no secret was given. */
  hub_unreachable: 3,
  not_found: 4,
  invalid_request: 5,
  internal_error: 6,
  timeout: 7,
  channel_disconnected: 8,
} as const satisfies Record<string, number> & Record<ExecuteErrorCode, number>;

/** A name in the exit code table. */
export type ExitCodeName = keyof typeof EXIT_CODES;
