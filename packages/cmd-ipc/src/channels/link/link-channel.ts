import { randomUUID } from 'node:crypto';
import type { ChannelCloseListener, ChannelMessageListener, ChannelPermissions, CommandChannel } from '../channel.js';
import type { ExecuteCommandResponse, Message } from '../../protocol/messages.js';
import type { Logger } from '../../registry/types.js';
import { Heartbeat, type HeartbeatOptions } from '../net/heartbeat.js';
import type { Link } from './link.js';
import { silentLogger } from '../../registry/logger.js';
import { TransportError } from './transport-error.js';
import { ChannelListeners } from '../channel-listeners.js';

/** Options of a channel over a link. */
export interface LinkChannelOptions {
  /** The channel id, unique within one registry. */
  id: string;
  /** The peer's authenticated identity (network channels after the handshake). */
  identity?: string;
  /** What the peer may execute or register here (from the hub's auth config). */
  permissions?: ChannelPermissions;
  /** True when both sides speak the protocol extensions (`meta`). Default false. */
  extensions?: boolean;
  /** Keep-alive settings; used only when the link can ping. `false` turns heartbeats off. */
  heartbeat?: HeartbeatOptions | false;
  /** Where close reasons and dropped messages are logged. */
  logger?: Logger;
}

/**
 * A CommandChannel over any Link. Every transport's channel is one of these: the link does the
 * bytes, this class does the channel contract (listeners, close-once, backpressure, heartbeats).
 *
 * Backpressure: while paused (or not yet started) inbound values wait in a buffer; when the link can
 * stop reading (sockets) it is paused too, so the buffer holds at most what was already read.
 */
export class LinkChannel implements CommandChannel {
  readonly id: string;
  readonly identity?: string;
  readonly permissions?: ChannelPermissions;
  readonly extensions: boolean;

  private readonly logger: Logger;
  private readonly listeners: ChannelListeners;
  private readonly buffer: unknown[] = [];
  private readonly heartbeat: Heartbeat | undefined;
  private started = false;
  private userPaused = false;
  private linkPaused = false;
  private finished = false;
  private closeReason: TransportError | undefined;

  constructor(
    protected readonly link: Link,
    options: LinkChannelOptions,
  ) {
    this.id = options.id;
    if (options.identity !== undefined) this.identity = options.identity;
    if (options.permissions !== undefined) this.permissions = options.permissions;
    this.extensions = options.extensions ?? false;
    this.logger = options.logger ?? silentLogger;
    this.listeners = new ChannelListeners(this.id, this.logger);

    const ping = link.ping?.bind(link);
    if (options.heartbeat !== false && ping !== undefined) {
      const heartbeat = new Heartbeat(options.heartbeat ?? {}, {
        ping,
        dead: (silentForMs) => {
          void link.close(new TransportError('heartbeat_timeout', `${link.description}: no sign of life for ${silentForMs} ms`));
        },
      });
      link.onActivity(() => heartbeat.seen());
      this.heartbeat = heartbeat;
    }
    link.setReceiver((value) => this.receive(value));
    void link.closed.then((reason) => this.finish(reason));
    this.updateFlow();
  }

  /** Names the peer for logs. */
  get description(): string {
    return this.link.description;
  }

  /** True once the channel has closed. */
  get isClosed(): boolean {
    return this.finished || this.link.isClosed;
  }

  /** Starts delivering inbound messages. Rejects when the link already closed. */
  async start(): Promise<void> {
    if (this.isClosed) {
      throw this.closeReason ?? new TransportError('connection_lost', `channel ${this.id} (${this.link.description}) closed before it started`);
    }
    this.started = true;
    this.updateFlow();
  }

  /**
   * Closes the link; `close` listeners run once. A `reason` is told to the peer (when the transport
   * can carry one) and makes this a failed close rather than a clean one.
   */
  async close(reason?: TransportError): Promise<void> {
    const done = this.link.close(reason);
    this.finish(reason);
    await done;
  }

  /** Sends one message; dropped when closed. An unsendable message is answered or logged, never thrown. */
  sendMessage(message: Message): void {
    if (this.isClosed) return;
    try {
      this.link.send(message);
    } catch (error) {
      this.handleUnsendable(message, error);
    }
  }

  on(event: 'message', listener: ChannelMessageListener): void;
  on(event: 'close', listener: ChannelCloseListener): void;
  /** Adds a listener for inbound messages or for the close. */
  on(event: 'message' | 'close', listener: ChannelMessageListener | ChannelCloseListener): void {
    this.listeners.add(event, listener);
  }

  /** Stops delivering inbound messages until `resume()`; sockets stop reading too. */
  pause(): void {
    this.userPaused = true;
    this.updateFlow();
  }

  /** Delivers what waited, then flows again. */
  resume(): void {
    this.userPaused = false;
    this.updateFlow();
  }

  private get flowing(): boolean {
    return this.started && !this.userPaused && !this.isClosed;
  }

  private updateFlow(): void {
    if (this.flowing) {
      if (this.linkPaused) {
        this.linkPaused = false;
        this.link.resume?.();
        this.heartbeat?.unsuspend();
      }
      this.drain();
    } else if (!this.linkPaused && this.link.pause !== undefined && !this.isClosed) {
      this.linkPaused = true;
      this.link.pause();
      // Pongs cannot be read while the link is paused; judging the peer now would kill a live link.
      this.heartbeat?.suspend();
    }
  }

  private receive(value: unknown): void {
    if (isControlFrame(value)) {
      // A handshake or control frame after the handshake is not a protocol message: never pass it up.
      this.logger.debug(`channel ${this.id}: dropped a stray control frame`, { kind: String(value.$) });
      return;
    }
    if (this.flowing && this.buffer.length === 0) this.emit(value);
    else this.buffer.push(value);
  }

  private drain(): void {
    while (this.flowing && this.buffer.length > 0) this.emit(this.buffer.shift());
  }

  private emit(value: unknown): void {
    this.listeners.message(value);
  }

  private finish(reason: TransportError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.closeReason = reason;
    this.heartbeat?.stop();
    this.buffer.length = 0;
    if (reason !== undefined) {
      this.logger.warn(`channel ${this.id} (${this.link.description}) closed: ${reason.message}`, { code: reason.code });
    } else {
      this.logger.debug(`channel ${this.id} (${this.link.description}) closed`);
    }
    this.listeners.close(reason);
  }

  /**
   * A message the link refused (too large, not cloneable). Rather than let a caller wait for its TTL:
   * a response becomes an `internal_error` response, and a request is answered locally with
   * `invalid_request` as if the peer had refused it. Anything else is logged and dropped.
   */
  private handleUnsendable(message: Message, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.warn(`channel ${this.id}: cannot send ${message.type} ${message.id}: ${detail}`);
    if (message.type === 'execute.command.response') {
      const substitute: ExecuteCommandResponse = {
        id: message.id,
        type: 'execute.command.response',
        thid: message.thid,
        response: { ok: false, error: { code: 'internal_error', message: `the response could not be sent on channel ${this.id}: ${detail}` } },
      };
      try {
        this.link.send(substitute);
      } catch (second) {
        this.logger.error(`channel ${this.id}: cannot send the error response either`, { error: (second as Error)?.message });
      }
    } else if (message.type === 'execute.command.request') {
      const refusal: ExecuteCommandResponse = {
        id: randomUUID(),
        type: 'execute.command.response',
        thid: message.id,
        response: {
          ok: false,
          error: { code: 'invalid_request', message: `request for ${message.commandId} could not be sent on channel ${this.id}: ${detail}` },
        },
      };
      // Delivered on a later turn of the event loop: the registry may record the pending call after
      // sendMessage returns.
      setImmediate(() => this.receive(refusal));
    }
  }
}

function isControlFrame(value: unknown): value is { $: unknown } {
  return typeof value === 'object' && value !== null && '$' in value;
}
