import type { Logger } from '../registry/types.js';
import { silentLogger } from '../registry/logger.js';
import type { ChannelCloseListener, ChannelMessageListener } from './channel.js';

/**
 * The `message` and `close` listeners of one channel. A listener that throws is logged and does not stop
 * the others: a transport must survive whatever its users do in a callback.
 */
export class ChannelListeners {
  private readonly onMessage: ChannelMessageListener[] = [];
  private readonly onClose: ChannelCloseListener[] = [];

  constructor(
    private readonly channelId: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Adds a listener (the body of a channel's `on`). */
  add(event: 'message' | 'close', listener: ChannelMessageListener | ChannelCloseListener): void {
    if (event === 'message') this.onMessage.push(listener as ChannelMessageListener);
    else this.onClose.push(listener as ChannelCloseListener);
  }

  /** Hands one inbound value to every message listener. */
  message(value: unknown): void {
    for (const listener of this.onMessage) {
      try {
        listener(value);
      } catch (error) {
        this.logger.error(`channel ${this.channelId}: a message listener threw`, { error: (error as Error)?.message });
      }
    }
  }

  /** Tells every close listener the channel closed, with the reason when it was not clean. */
  close(reason?: Error): void {
    for (const listener of this.onClose) {
      try {
        listener(reason);
      } catch (error) {
        this.logger.error(`channel ${this.channelId}: a close listener threw`, { error: (error as Error)?.message });
      }
    }
  }
}
