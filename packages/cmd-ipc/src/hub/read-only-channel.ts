import type { ChannelCloseListener, ChannelMessageListener, ChannelPermissions, CommandChannel } from '../channels/channel.js';
import type { Message } from '../protocol/messages.js';

/**
 * Wraps the channel of a read-only peer (the live page): every inbound `event` message is dropped
 * here, before the registry sees it, because channel permissions cover executing and registering
 * but not emitting, and a page that anyone on the machine can open must not inject events into the mesh.
 */
export class ReadOnlyChannel implements CommandChannel {
  constructor(private readonly inner: CommandChannel) {}

  get id(): string {
    return this.inner.id;
  }

  get identity(): string | undefined {
    return this.inner.identity;
  }

  get extensions(): boolean | undefined {
    return this.inner.extensions;
  }

  get permissions(): ChannelPermissions | undefined {
    return this.inner.permissions;
  }

  /** Starts the wrapped channel. */
  start(): Promise<void> {
    return this.inner.start();
  }

  /** Closes the wrapped channel. */
  close(): Promise<void> {
    return this.inner.close();
  }

  /** Sends through the wrapped channel. */
  sendMessage(message: Message): void {
    this.inner.sendMessage(message);
  }

  on(event: 'message', listener: ChannelMessageListener): void;
  on(event: 'close', listener: ChannelCloseListener): void;
  /** Passes listeners on; message listeners never see an `event` message. */
  on(event: 'message' | 'close', listener: ChannelMessageListener | ChannelCloseListener): void {
    if (event === 'close') {
      this.inner.on('close', listener as ChannelCloseListener);
      return;
    }
    const onMessage = listener as ChannelMessageListener;
    this.inner.on('message', (message) => {
      if (isEventMessage(message)) return;
      onMessage(message);
    });
  }

  /** Pauses the wrapped channel. */
  pause(): void {
    this.inner.pause?.();
  }

  /** Resumes the wrapped channel. */
  resume(): void {
    this.inner.resume?.();
  }
}

function isEventMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'event';
}
