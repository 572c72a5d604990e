import type { Message } from '../protocol/messages.js';
import type { ChannelCloseListener, ChannelMessageListener, CommandChannel } from './channel.js';
import { ChannelListeners } from './channel-listeners.js';

/** Options for `createChannelPair`. */
export interface ChannelPairOptions {
  /** Whether each side speaks the protocol extensions (`meta`); false models a strict v1 peer. Default true. */
  extensions?: boolean;
  /**
   * Copy each message through JSON, as a real transport would, so neither side can see the other's
   * objects. Default true; turn off only where the copy is measured separately.
   */
  copy?: boolean;
  /**
   * The identity each end reports for its peer, as an authenticating transport would: `a` is what end A
   * says about B (`channelA.identity`), `b` what end B says about A. Default: none (unauthenticated).
   */
  identities?: { a?: string; b?: string };
}

/** One end of an in-memory channel pair. */
export class InMemoryChannel implements CommandChannel {
  readonly extensions: boolean;
  readonly identity: string | undefined;
  private peer: InMemoryChannel | undefined;
  private readonly listeners: ChannelListeners;
  private readonly inbox: unknown[] = [];
  private started = false;
  private paused = false;
  private closed = false;
  private flushScheduled = false;

  constructor(
    readonly id: string,
    private readonly options: { extensions: boolean; copy: boolean },
    identity?: string,
  ) {
    this.extensions = options.extensions;
    this.identity = identity;
    this.listeners = new ChannelListeners(id);
  }

  /** Links two ends; used by `createChannelPair`. */
  static link(a: InMemoryChannel, b: InMemoryChannel): void {
    a.peer = b;
    b.peer = a;
  }

  /** Starts delivering messages; those sent before start were kept and arrive now. */
  async start(): Promise<void> {
    if (this.closed) throw new Error(`in-memory channel ${this.id} is closed`);
    this.started = true;
    this.scheduleFlush();
  }

  /** Closes both ends; each emits `close` once. */
  async close(): Promise<void> {
    this.closeLocal();
    this.peer?.closeLocal();
  }

  /** Queues a message for the peer; dropped when the pair is closed. */
  sendMessage(message: Message): void {
    const peer = this.peer;
    if (this.closed || !peer || peer.closed) return;
    peer.inbox.push(this.options.copy ? JSON.parse(JSON.stringify(message)) : message);
    peer.scheduleFlush();
  }

  on(event: 'message', listener: ChannelMessageListener): void;
  on(event: 'close', listener: ChannelCloseListener): void;
  /** Adds a listener for inbound messages or for the close. */
  on(event: 'message' | 'close', listener: ChannelMessageListener | ChannelCloseListener): void {
    this.listeners.add(event, listener);
  }

  /** Holds inbound messages until `resume()`. */
  pause(): void {
    this.paused = true;
  }

  /** Delivers the messages held while paused, then continues. */
  resume(): void {
    this.paused = false;
    this.scheduleFlush();
  }

  private closeLocal(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    this.listeners.close();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || !this.started || this.paused || this.inbox.length === 0) return;
    this.flushScheduled = true;
    // Delivery is asynchronous, like every real transport, so a send never re-enters the sender.
    void Promise.resolve().then(() => {
      this.flushScheduled = false;
      while (this.inbox.length > 0 && !this.paused && !this.closed) {
        const message = this.inbox.shift();
        this.listeners.message(message);
      }
    });
  }
}

/** Creates two linked in-memory channels, for registries in one process. */
export function createChannelPair(idA = 'pair-a', idB = 'pair-b', options: ChannelPairOptions = {}): [InMemoryChannel, InMemoryChannel] {
  const resolved = { extensions: options.extensions ?? true, copy: options.copy ?? true };
  const a = new InMemoryChannel(idA, resolved, options.identities?.a);
  const b = new InMemoryChannel(idB, resolved, options.identities?.b);
  InMemoryChannel.link(a, b);
  return [a, b];
}
