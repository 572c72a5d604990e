import type { Link, LinkReceiver } from './link.js';
import type { TransportError } from './transport-error.js';

/**
 * The bookkeeping every link shares: the inbound queue, activity listeners and close-once.
 * A transport subclass calls `deliver` for each inbound value, `peerClosed` when the peer goes away,
 * and implements `send` and `shutdown`.
 */
export abstract class LinkBase implements Link {
  abstract readonly description: string;
  readonly closed: Promise<TransportError | undefined>;

  private receiver: LinkReceiver | undefined;
  private readonly queue: unknown[] = [];
  private readonly activityListeners: (() => void)[] = [];
  private closedFlag = false;
  private resolveClosed!: (reason: TransportError | undefined) => void;
  private shutdownDone: Promise<void> | undefined;

  constructor() {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /** True once the link is closed (by either side). */
  get isClosed(): boolean {
    return this.closedFlag;
  }

  abstract send(value: unknown): void;

  /** Sets who receives inbound values; queued values are handed over first, in order. */
  setReceiver(receiver: LinkReceiver | undefined): void {
    this.receiver = receiver;
    // A receiver may unset itself (the handshake takes one frame at a time), so re-check each turn.
    while (this.queue.length > 0 && this.receiver !== undefined && !this.closedFlag) {
      this.receiver(this.queue.shift());
    }
  }

  /** Calls `listener` on every sign of life from the peer. */
  onActivity(listener: () => void): void {
    this.activityListeners.push(listener);
  }

  /** Closes the link from this side, telling the peer `reason` when the transport can. Idempotent. */
  close(reason?: TransportError): Promise<void> {
    if (!this.closedFlag) {
      this.closedFlag = true;
      this.queue.length = 0;
      this.shutdownDone = this.shutdown(reason).catch(() => undefined);
      this.resolveClosed(reason);
    }
    return this.shutdownDone ?? Promise.resolve();
  }

  /** Releases the transport after a local close; `reason` is for the peer. */
  protected abstract shutdown(reason: TransportError | undefined): Promise<void>;

  /** Releases what is left after the peer closed; the default does nothing. */
  protected teardown(): void {}

  /** Hands one inbound value to the receiver, or queues it. */
  protected deliver(value: unknown): void {
    if (this.closedFlag) return;
    this.markActivity();
    if (this.receiver !== undefined && this.queue.length === 0) this.receiver(value);
    else this.queue.push(value);
  }

  /** Records a sign of life that carries no value (a ping or a pong). */
  protected markActivity(): void {
    for (const listener of this.activityListeners) listener();
  }

  /** The peer went away (or the transport failed): close without trying to talk to it. */
  protected peerClosed(reason: TransportError | undefined): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.queue.length = 0;
    this.shutdownDone = Promise.resolve();
    try {
      this.teardown();
    } finally {
      this.resolveClosed(reason);
    }
  }
}
