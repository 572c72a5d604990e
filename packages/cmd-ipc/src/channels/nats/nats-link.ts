import type { NatsConnection, Subscription } from 'nats';
import { InBandLink } from '../link/in-band-link.js';
import { TransportError } from '../link/transport-error.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a value as the JSON bytes of one NATS message. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Decodes the JSON bytes of one NATS message. */
export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}

/**
 * One session between a NATS client and a NATS hub: values published on one subject and received on
 * another, one JSON message each. Pings and goodbyes travel as control frames (a session has no
 * connection of its own whose loss NATS would report).
 */
export class NatsLink extends InBandLink {
  private readonly subscription: Subscription;

  constructor(
    private readonly connection: NatsConnection,
    private readonly outSubject: string,
    inSubject: string,
    readonly description: string,
    private readonly maxBytes: number,
  ) {
    super();
    this.subscription = connection.subscribe(inSubject, {
      callback: (error, message) => {
        if (error !== null) {
          void this.close(new TransportError('connection_lost', `${description}: ${error.message}`, { cause: error }));
          return;
        }
        this.onData(message.data);
      },
    });
    void connection.closed().then(() => this.peerClosed(new TransportError('connection_lost', `${description}: the NATS connection closed`)));
  }

  protected write(value: unknown): void {
    let data: Uint8Array;
    try {
      data = encodeJson(value);
    } catch (error) {
      throw new TransportError('message_unsendable', `${this.description}: the message is not JSON-serializable: ${(error as Error).message}`);
    }
    const limit = this.limit();
    if (data.byteLength > limit) {
      throw new TransportError('frame_too_large', `outgoing message of ${data.byteLength} bytes exceeds the maximum of ${limit} on ${this.description}`);
    }
    if (this.connection.isClosed()) return;
    try {
      this.connection.publish(this.outSubject, data);
    } catch {
      // Publishing fails only when the connection is closing; its close is reported separately.
    }
  }

  protected async shutdown(reason: TransportError | undefined): Promise<void> {
    this.sayGoodbye(reason);
    this.teardown();
  }

  protected override teardown(): void {
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
  }

  private limit(): number {
    const serverLimit = this.connection.info?.max_payload ?? Number.POSITIVE_INFINITY;
    return Math.min(this.maxBytes, serverLimit);
  }

  private onData(data: Uint8Array): void {
    if (this.isClosed) return;
    if (data.byteLength > this.maxBytes) {
      void this.close(new TransportError('frame_too_large', `${this.description}: incoming message of ${data.byteLength} bytes exceeds the maximum of ${this.maxBytes}`));
      return;
    }
    let value: unknown;
    try {
      value = decodeJson(data);
    } catch (error) {
      void this.close(new TransportError('frame_malformed', `${this.description} sent a message that is not valid JSON: ${(error as Error).message}`));
      return;
    }
    this.receiveFrame(value);
  }
}
