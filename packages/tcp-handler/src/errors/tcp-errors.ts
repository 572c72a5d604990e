import { CommandError } from 'cmd-ipc';
import type { ExecuteErrorCode } from 'cmd-ipc';

/**
 * Stable machine-readable reasons. Every tcp error message starts with `<reason>: `, so a caller in
 * another process (which only sees the wire code and message) can still tell them apart.
 */
export type TcpErrorReason =
  | 'unknown_id'
  | 'not_owner'
  | 'pending'
  | 'not_pending'
  | 'closed'
  | 'wrong_mode'
  | 'busy'
  | 'no_prefix'
  | 'bad_address'
  | 'limit_reached'
  | 'connect_failed'
  | 'tls_failed'
  | 'insecure_refused'
  | 'handoff_refused'
  | 'timeout'
  | 'write_failed';

/** Base of every error the TCP handler raises: a wire `code` plus a stable `reason`. */
export class TcpError extends CommandError {
  readonly reason: TcpErrorReason;

  constructor(code: ExecuteErrorCode, reason: TcpErrorReason, detail: string) {
    super(code, `${reason}: ${detail}`);
    this.reason = reason;
  }
}

/** No connection or listener with that id exists (or it closed long ago). */
export class UnknownIdError extends TcpError {
  constructor(kind: 'connection' | 'listener', id: string) {
    super('not_found', 'unknown_id', `no ${kind} with id ${id}`);
  }
}

/** The caller does not own the connection or listener. */
export class NotOwnerError extends TcpError {
  constructor(kind: 'connection' | 'listener', id: string, caller: string) {
    super('invalid_request', 'not_owner', `${kind} ${id} does not belong to caller ${caller}`);
  }
}

/** The connection is still pending: activate or transfer it first. */
export class PendingError extends TcpError {
  constructor(id: string, action: string) {
    super('invalid_request', 'pending', `connection ${id} is pending; call tcp.activate or tcp.transfer before ${action}`);
  }
}

/** `tcp.activate` on a connection that is not pending. */
export class NotPendingError extends TcpError {
  constructor(id: string) {
    super('invalid_request', 'not_pending', `connection ${id} is already active; use tcp.set-active to change its mode`);
  }
}

/** The connection (or listener) has closed. */
export class ClosedError extends TcpError {
  constructor(kind: 'connection' | 'listener', id: string, why: string) {
    super('invalid_request', 'closed', `${kind} ${id} is closed (${why})`);
  }
}

/** The call needs another data mode (e.g. `receive` on an active connection). */
export class WrongModeError extends TcpError {
  constructor(id: string, mode: string, action: string, needed: string) {
    super('invalid_request', 'wrong_mode', `connection ${id} is in ${mode} mode; ${action} needs ${needed} mode`);
  }
}

/** Another `receive` (or handshake) is already running on the connection. */
export class BusyError extends TcpError {
  constructor(id: string, what: string) {
    super('invalid_request', 'busy', `connection ${id} is busy: ${what}`);
  }
}

/** Active and once modes push to callbacks, so they need a callback prefix. */
export class NoPrefixError extends TcpError {
  constructor(id: string, mode: string) {
    super('invalid_request', 'no_prefix', `connection ${id} has no callback prefix; ${mode} mode needs one`);
  }
}

/** The address is malformed or not allowed by the handler's policy. */
export class BadAddressError extends TcpError {
  constructor(action: 'connect' | 'listen', host: string, port: number, why: string) {
    super('invalid_request', 'bad_address', `cannot ${action} ${host}:${port}: ${why}`);
  }
}

/** A configured limit was hit. */
export class LimitReachedError extends TcpError {
  constructor(what: string) {
    super('invalid_request', 'limit_reached', what);
  }
}

/** The outbound connection could not be made. */
export class ConnectFailedError extends TcpError {
  constructor(host: string, port: number, why: string) {
    super('internal_error', 'connect_failed', `connect to ${host}:${port} failed: ${why}`);
  }
}

/** A TLS handshake failed (the connection is closed). */
export class TlsFailedError extends TcpError {
  constructor(id: string, why: string) {
    super('internal_error', 'tls_failed', `TLS handshake on connection ${id} failed: ${why}`);
  }
}

/** Skip-verify was asked for but the handler does not allow it. */
export class InsecureRefusedError extends TcpError {
  constructor(id: string) {
    super(
      'invalid_request',
      'insecure_refused',
      `connection ${id}: insecureSkipVerify is refused; the handler was not started with allowInsecureSkipVerify`,
    );
  }
}

/** The new owner did not take the connection; it stays with the previous owner. */
export class HandoffRefusedError extends TcpError {
  constructor(id: string, to: string, why: string) {
    super('invalid_request', 'handoff_refused', `transfer of connection ${id} to ${to} failed: ${why}`);
  }
}

/** A wait (accept, receive, connect) ran out of time. */
export class TcpTimeoutError extends TcpError {
  constructor(what: string) {
    super('timeout', 'timeout', what);
  }
}

/** Writing to the socket failed. */
export class WriteFailedError extends TcpError {
  constructor(id: string, why: string) {
    super('internal_error', 'write_failed', `write to connection ${id} failed: ${why}`);
  }
}

const REASONS: readonly TcpErrorReason[] = [
  'unknown_id',
  'not_owner',
  'pending',
  'not_pending',
  'closed',
  'wrong_mode',
  'busy',
  'no_prefix',
  'bad_address',
  'limit_reached',
  'connect_failed',
  'tls_failed',
  'insecure_refused',
  'handoff_refused',
  'timeout',
  'write_failed',
];

/** Reads the stable reason out of any error a tcp.* call rejected with, local or from across the wire. */
export function tcpErrorReason(error: unknown): TcpErrorReason | undefined {
  if (error instanceof TcpError) return error.reason;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  if (message === undefined) return undefined;
  const head = message.slice(0, message.indexOf(':'));
  return (REASONS as readonly string[]).includes(head) ? (head as TcpErrorReason) : undefined;
}
