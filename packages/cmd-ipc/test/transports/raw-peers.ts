/**
 * Hand-written peers that speak the handshake frame by frame (docs/transports.md), so tests can
 * misbehave on purpose after authenticating: send oversized or malformed frames, or protocol messages
 * before the handshake. They compute the MAC with node:crypto directly, as any other implementation would.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import WebSocket from 'ws';
import { FrameDecoder, encodeFrame } from '../../src/index.js';

/** HMAC-SHA256(secret, nonce + identity), base64url: the client's answer to a challenge. */
export function answerChallenge(secret: string, nonce: string, identity: string): string {
  return createHmac('sha256', secret).update(nonce + identity).digest('base64url');
}

function authFrame(challenge: unknown, identity: string, secret: string): Record<string, unknown> {
  const nonce = (challenge as { nonce: string }).nonce;
  return { $: 'auth', v: 1, identity, nonce: randomBytes(24).toString('base64url'), mac: answerChallenge(secret, nonce, identity), extensions: true };
}

/** Frames received by a raw peer, taken one at a time as they arrive. */
class Inbox {
  private readonly frames: unknown[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;

  /** Records a received frame. */
  push(frame: unknown): void {
    this.frames.push(frame);
    this.waiter?.();
  }

  /** Records that the connection ended. */
  end(): void {
    this.ended = true;
    this.waiter?.();
  }

  /** Every frame received and not yet taken. */
  drain(): unknown[] {
    return this.frames.splice(0);
  }

  /** The next frame; rejects when the connection ends first or nothing comes within `timeoutMs`. */
  next(timeoutMs = 5000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(), timeoutMs);
      const settle = (): void => {
        if (this.frames.length > 0) {
          resolve(this.frames.shift());
        } else if (this.ended) {
          reject(new Error('the connection closed before a frame arrived'));
        } else if (Date.now() >= deadline) {
          reject(new Error(`no frame arrived within ${timeoutMs} ms`));
        } else {
          return;
        }
        clearTimeout(timer);
        this.waiter = undefined;
      };
      const deadline = Date.now() + timeoutMs;
      this.waiter = settle;
      settle();
    });
  }
}

/** How a raw WebSocket peer's connection ended. */
export interface WsClosed {
  code: number;
  reason: string;
}

/** A raw WebSocket peer. */
export class RawWsPeer {
  readonly closed: Promise<WsClosed>;
  private readonly inbox = new Inbox();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.inbox.push(JSON.parse(data.toString())));
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.inbox.end();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /** The next frame received. */
  next(timeoutMs?: number): Promise<unknown> {
    return this.inbox.next(timeoutMs);
  }

  /** Opens a connection (no handshake yet). */
  static async connect(url: string): Promise<RawWsPeer> {
    const socket = new WebSocket(url);
    // Listen before 'open': the hub's challenge can arrive in the same chunk as the upgrade response.
    const peer = new RawWsPeer(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return peer;
  }

  /** Answers the challenge as `identity` with `secret`; resolves with the hub's reply frame (if any). */
  async authenticate(identity: string, secret: string): Promise<unknown> {
    const challenge = await this.next();
    this.socket.send(JSON.stringify(authFrame(challenge, identity, secret)));
    return this.next();
  }


  /** Sends raw text as one frame. */
  sendText(text: string): void {
    this.socket.send(text);
  }

  /** Cuts the connection. */
  destroy(): void {
    this.socket.terminate();
  }
}

/** A raw TCP peer speaking length-prefixed frames. */
export class RawTcpPeer {
  readonly closed: Promise<void>;
  private readonly decoder = new FrameDecoder();
  private readonly inbox = new Inbox();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) this.inbox.push(frame);
    });
    // A reset from the hub is an expected ending in these tests; 'close' reports it.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.inbox.end();
        resolve();
      }),
    );
  }

  /** The next frame received. */
  next(timeoutMs?: number): Promise<unknown> {
    return this.inbox.next(timeoutMs);
  }

  /** Opens a connection (no handshake yet). */
  static async connect(port: number): Promise<RawTcpPeer> {
    const socket = connect({ host: '127.0.0.1', port });
    const peer = new RawTcpPeer(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return peer;
  }

  /** Answers the challenge as `identity` with `secret`; resolves with the hub's reply frame. */
  async authenticate(identity: string, secret: string): Promise<unknown> {
    const challenge = await this.next();
    this.sendValue(authFrame(challenge, identity, secret));
    return this.next();
  }


  /** Every frame received so far and not yet taken. */
  drain(): unknown[] {
    return this.inbox.drain();
  }

  /** The next control frame (one with a `$` key), skipping protocol messages the hub's registry sent. */
  async nextControl(timeoutMs?: number): Promise<unknown> {
    for (;;) {
      const frame = await this.next(timeoutMs);
      if (typeof frame === 'object' && frame !== null && '$' in frame) return frame;
    }
  }

  /** Sends one value as a frame. */
  sendValue(value: unknown): void {
    this.socket.write(encodeFrame(value));
  }

  /** Sends raw bytes. */
  sendBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Cuts the connection. */
  destroy(): void {
    this.socket.destroy();
  }
}
