/** Why a link failed or closed. Stable strings: logs and tests match on them. */
export type TransportErrorCode =
  /** The peer failed (or refused) the shared-secret handshake. */
  | 'auth_failed'
  /** The handshake broke: a wrong frame, a wrong version, or the link closed during it. */
  | 'handshake_failed'
  /** The peer did not finish the handshake in time. */
  | 'handshake_timeout'
  /** A frame was larger than the link's maximum. */
  | 'frame_too_large'
  /** A frame was not JSON (or not text). */
  | 'frame_malformed'
  /** A message could not be encoded for the link (a structured-clone or JSON failure). */
  | 'message_unsendable'
  /** The peer showed no sign of life within the heartbeat timeout. */
  | 'heartbeat_timeout'
  /** The connection, process or thread went away without a goodbye. */
  | 'connection_lost'
  /** The peer closed the link and said why. */
  | 'closed_by_peer'
  /** A newer connection authenticated as the same identity took this one's place. */
  | 'replaced'
  /** Dialing the server failed (refused, unreachable, TLS error, no hub listening). */
  | 'connect_failed';

/** An error of a transport, with a stable `code` and a message naming what failed. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'TransportError';
  }
}

/** True when `value` is one of the transport error codes (for a code read off the wire). */
export function isTransportErrorCode(value: unknown): value is TransportErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

const CODES: ReadonlySet<string> = new Set<TransportErrorCode>([
  'auth_failed',
  'handshake_failed',
  'handshake_timeout',
  'frame_too_large',
  'frame_malformed',
  'message_unsendable',
  'heartbeat_timeout',
  'connection_lost',
  'closed_by_peer',
  'replaced',
  'connect_failed',
]);
