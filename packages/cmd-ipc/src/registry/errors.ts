import type { ErrorCode, ExecuteErrorCode, WireError } from '../protocol/messages.js';
import { EXECUTE_ERROR_CODES } from '../protocol/messages.js';

/** Base class of every error the registry raises; `code` is the wire code of PROTOCOL.md. */
export class CommandError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** The wire form of this error for an execute response. */
  toWire(): WireError {
    const code: ExecuteErrorCode = this.code === 'duplicate_command' ? 'internal_error' : this.code;
    return { code, message: this.message };
  }
}

/** `not_found`: no handler, owner or router could take the command. */
export class CommandNotFoundError extends CommandError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** `invalid_request`: the request failed the command's schema or the message was malformed. */
export class InvalidRequestError extends CommandError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

/** `internal_error`: the handler threw something without a wire code. */
export class InternalError extends CommandError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('internal_error', message, options);
  }
}

/** `timeout`: no answer within the TTL, or the deadline had passed. */
export class TimeoutError extends CommandError {
  constructor(message: string) {
    super('timeout', message);
  }
}

/** `channel_disconnected`: the channel a call depended on closed. */
export class ChannelDisconnectedError extends CommandError {
  constructor(message: string) {
    super('channel_disconnected', message);
  }
}

/** `duplicate_command`: the id is already registered locally or by another channel. */
export class DuplicateCommandError extends CommandError {
  constructor(message: string) {
    super('duplicate_command', message);
  }
}

const byCode: Record<ErrorCode, new (message: string) => CommandError> = {
  not_found: CommandNotFoundError,
  invalid_request: InvalidRequestError,
  internal_error: InternalError,
  timeout: TimeoutError,
  channel_disconnected: ChannelDisconnectedError,
  duplicate_command: DuplicateCommandError,
};

/** Builds the matching error class for a wire code and message. */
export function errorFromCode(code: ErrorCode, message: string): CommandError {
  return new byCode[code](message);
}

/** True when `value` is one of the execute error codes. */
export function isExecuteErrorCode(value: unknown): value is ExecuteErrorCode {
  return typeof value === 'string' && (EXECUTE_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Maps anything a handler threw to the wire: a thrown error carrying an execute code keeps it
 * (rule 11), anything else becomes `internal_error` with the error's message.
 */
export function toWireError(thrown: unknown): WireError {
  if (thrown instanceof CommandError) return thrown.toWire();
  const code = (thrown as { code?: unknown } | null)?.code;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (isExecuteErrorCode(code)) return { code, message };
  return { code: 'internal_error', message };
}
