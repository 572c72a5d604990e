import type { TransportError } from './transport-error.js';

/** Receives each value a link delivers, already decoded but not yet validated. */
export type LinkReceiver = (value: unknown) => void;

/**
 * A message-oriented duplex to one peer: the part of a transport below a channel.
 *
 * Every transport (worker port, IPC pipe, WebSocket, TCP, NATS session) is a Link; the handshake and
 * `LinkChannel` are written once against this shape.
 */
export interface Link {
  /** Names the peer for logs, e.g. `tcp 127.0.0.1:50123`. */
  readonly description: string;
  /** True once the link is closed (by either side). */
  readonly isClosed: boolean;
  /** Resolves once the link is closed: with the reason, or undefined for a clean close. */
  readonly closed: Promise<TransportError | undefined>;
  /**
   * Sends one value. Drops it silently when the link is closed.
   * Throws TransportError (`frame_too_large`, `message_unsendable`) when the value cannot be sent at all.
   */
  send(value: unknown): void;
  /**
   * Sets who receives inbound values; values that arrive while no receiver is set are queued in order
   * and handed over when one is set. `undefined` goes back to queueing.
   */
  setReceiver(receiver: LinkReceiver | undefined): void;
  /** Calls `listener` on every sign of life from the peer (a value, a ping, a pong). */
  onActivity(listener: () => void): void;
  /** Closes the link, telling the peer `reason` when the transport can carry it. Idempotent. */
  close(reason?: TransportError): Promise<void>;
  /** Sends a keep-alive probe the peer answers; absent when the transport needs none (ports, pipes). */
  ping?(): void;
  /** Stops reading from the transport (real flow control); absent when the transport cannot. */
  pause?(): void;
  /** Resumes reading after `pause()`. */
  resume?(): void;
}
