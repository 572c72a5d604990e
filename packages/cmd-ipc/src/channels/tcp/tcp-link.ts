import type { Socket } from 'node:net';
import { FrameDecoder, FrameError, encodeFrame } from '../../protocol/frame-codec.js';
import { corkUntilNextTick } from '../net/cork.js';
import { InBandLink } from '../link/in-band-link.js';
import { TransportError } from '../link/transport-error.js';

/** Time allowed for a goodbye frame to drain before the socket is cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * One TCP (or TLS) connection carrying length-prefixed JSON frames (protocol/frame-codec.ts).
 * An oversized or malformed inbound frame closes this connection with that reason.
 */
export class TcpLink extends InBandLink {
  private readonly decoder: FrameDecoder;

  constructor(
    private readonly socket: Socket,
    readonly description: string,
    private readonly maxFrameBytes: number,
  ) {
    super();
    this.decoder = new FrameDecoder(maxFrameBytes);
    socket.setNoDelay(true);
    let failure: TransportError | undefined;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => {
      failure ??= new TransportError('connection_lost', `${description}: ${error.message}`, { cause: error });
    });
    socket.on('close', () => this.peerClosed(failure ?? new TransportError('connection_lost', `${description} closed the connection without a goodbye`)));
  }

  /** Stops reading from the socket. */
  pause(): void {
    this.socket.pause();
  }

  /** Resumes reading from the socket. */
  resume(): void {
    this.socket.resume();
  }

  protected write(value: unknown): void {
    let frame: Buffer;
    try {
      frame = encodeFrame(value, this.maxFrameBytes);
    } catch (error) {
      if (error instanceof FrameError) throw new TransportError('frame_too_large', `${error.message} on ${this.description}`);
      throw new TransportError('message_unsendable', `${this.description}: the message is not JSON-serializable: ${(error as Error).message}`);
    }
    if (!this.socket.writable) return;
    corkUntilNextTick(this.socket);
    this.socket.write(frame);
  }

  protected async shutdown(reason: TransportError | undefined): Promise<void> {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (reason?.code === 'heartbeat_timeout') {
      // A dead peer will read nothing; do not wait for it.
      socket.destroy();
      return;
    }
    this.sayGoodbye(reason);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
      // Whatever the peer still sends is ignored (the link is closed); keep reading so its FIN arrives.
      socket.resume();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let values: unknown[];
    try {
      values = this.decoder.push(chunk);
    } catch (error) {
      const frameError = error as FrameError;
      void this.close(new TransportError(frameError.code ?? 'frame_malformed', `${this.description}: ${frameError.message}`));
      return;
    }
    for (const value of values) this.receiveFrame(value);
  }
}
