import type { Message } from '../protocol/messages.js';

/** Called with each message a channel receives; the value is untrusted until parsed. */
export type ChannelMessageListener = (message: unknown) => void;

/** Called once when a channel closes, with the reason when it was not a clean close. */
export type ChannelCloseListener = (reason?: Error) => void;

/**
 * A bidirectional link to one peer registry. Every transport implements this.
 *
 * The core contract (`id`, `start`, `close`, `sendMessage`, `on`) is the public cmd-ipc channel shape;
 * the optional members let a transport tell the registry more about the peer.
 */
export interface CommandChannel {
  /** Unique within one registry. */
  readonly id: string;
  /** Opens the link; resolves when messages can flow. */
  start(): Promise<void>;
  /** Closes the link; resolves once closed. Emits `close` exactly once. Safe to call twice. */
  close(): Promise<void>;
  /** Sends one message. Never throws for a closed link: a message to a closed channel is dropped. */
  sendMessage(message: Message): void;
  on(event: 'message', listener: ChannelMessageListener): void;
  on(event: 'close', listener: ChannelCloseListener): void;

  /** The peer's authenticated identity, when the transport authenticated it (network channels). */
  readonly identity?: string;
  /**
   * True when the peer has shown it speaks the protocol extensions (`meta`).
   * When false or absent, the registry sends no `meta` on this channel (a strict v1 peer).
   */
  readonly extensions?: boolean;
  /** Prefix allow lists for what the peer may execute or register here; absent means everything. */
  readonly permissions?: ChannelPermissions;
  /** Stops delivering inbound messages (backpressure) until `resume()`. */
  pause?(): void;
  /** Resumes delivering inbound messages after `pause()`. */
  resume?(): void;
}

/** Prefix allow lists a transport attaches to an authenticated peer. */
export interface ChannelPermissions {
  /** Command id prefixes the peer may execute; an id outside them is answered `not_found`. */
  execute?: readonly string[];
  /** Command id prefixes the peer may register. */
  register?: readonly string[];
}

/** True when `id` starts with one of `prefixes`, or when no list is given. */
export function isAllowed(id: string, prefixes: readonly string[] | undefined): boolean {
  if (prefixes === undefined) return true;
  return prefixes.some((prefix) => id.startsWith(prefix));
}
