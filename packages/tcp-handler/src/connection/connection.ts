import type net from 'node:net';
import type tls from 'node:tls';
import { ClosedError, TcpTimeoutError, WriteFailedError } from '../errors/tcp-errors.js';
import type { CloseReason } from '../schemas/callbacks.js';
import type { DataMode, SocketAddress, TlsInfo } from '../schemas/common.js';
import { ByteQueue } from './byte-queue.js';

/** Pending: no data moves until activate/transfer. Open: data moves per `mode`. */
export type ConnectionState = 'pending' | 'open' | 'closed';

/** What a connection asks of the handler that owns its table entry. */
export interface ConnectionHooks {
  /** Pushes one chunk to the owner (`<prefix>.on-data`); rejects when the owner did not take it. */
  deliver(connection: Connection, chunk: Buffer): Promise<void>;
  /** Called exactly once when the connection closes. */
  closed(connection: Connection, reason: CloseReason, detail: string | undefined, notifyOwner: boolean): void;
  /** Bytes held in connection inboxes grew (positive) or shrank (negative). */
  bufferChanged(delta: number): void;
}

/** Fixed facts about a connection, given when it is made. */
export interface ConnectionInit {
  id: string;
  direction: 'inbound' | 'outbound';
  listenerId?: string;
  owner: string;
  ownerChannelId?: string;
  prefix?: string;
  /** The host name the connection was made to, for SNI on a later client upgrade. */
  host?: string;
  tlsInfo?: TlsInfo;
  maxPushBytes: number;
  idleTimeoutMs?: number;
  closeGraceMs: number;
}

/** The result of a `receive`. */
export interface Received {
  data: Buffer;
  closed: boolean;
}

interface Waiter {
  maxBytes: number;
  resolve(value: Received): void;
  reject(error: Error): void;
}

const GRACEFUL: ReadonlySet<CloseReason> = new Set<CloseReason>([
  'closed_by_owner',
  'peer_closed',
  'owner_gone',
  'idle_timeout',
  'handler_disposed',
  'delivery_failed',
]);

/**
 * One socket and its data-mode state machine. The socket is read only when someone wants bytes:
 * a passive owner with a `receive` waiting, or an active owner with no delivery in flight. Otherwise
 * it stays paused, so the kernel's window (not our memory) absorbs a fast peer.
 */
export class Connection {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly listenerId: string | undefined;
  readonly host: string | undefined;
  owner: string;
  ownerChannelId: string | undefined;
  prefix: string | undefined;
  state: ConnectionState = 'pending';
  mode: DataMode = 'passive';
  tlsInfo: TlsInfo | undefined;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  bytesIn = 0;
  bytesOut = 0;
  closeReason: CloseReason | undefined;

  private socket: net.Socket;
  private readonly hooks: ConnectionHooks;
  private readonly inbox = new ByteQueue();
  private readonly maxPushBytes: number;
  private readonly idleTimeoutMs: number | undefined;
  private readonly closeGraceMs: number;
  private peerEnded = false;
  private socketError: Error | undefined;
  private delivering = false;
  /** True during a hand-off or TLS upgrade: no push may start. */
  private holding = false;
  private upgradeUnderWay = false;
  private waiter: Waiter | undefined;

  private readonly onData = (chunk: Buffer): void => {
    this.bytesIn += chunk.length;
    this.inbox.push(chunk);
    this.hooks.bufferChanged(chunk.length);
    this.afterInput();
  };
  private readonly onEnd = (): void => {
    this.peerEnded = true;
    this.afterInput();
  };
  private readonly onError = (error: Error): void => {
    this.socketError ??= error;
  };
  private readonly onSocketClose = (): void => {
    this.peerEnded = true;
    if (this.state === 'pending' || this.upgradeUnderWay) {
      this.close(this.socketError ? 'error' : 'peer_closed', true, this.socketError?.message);
      return;
    }
    if (this.mode === 'passive' && this.waiter === undefined && this.inbox.length === 0) {
      this.close(this.socketError ? 'error' : 'peer_closed', true, this.socketError?.message);
      return;
    }
    this.afterInput();
  };
  private readonly onTimeout = (): void => {
    this.close('idle_timeout', true, `no traffic for ${this.idleTimeoutMs} ms`);
  };

  constructor(socket: net.Socket, init: ConnectionInit, hooks: ConnectionHooks) {
    this.id = init.id;
    this.direction = init.direction;
    this.listenerId = init.listenerId;
    this.owner = init.owner;
    this.ownerChannelId = init.ownerChannelId;
    this.prefix = init.prefix;
    this.host = init.host;
    this.tlsInfo = init.tlsInfo;
    this.maxPushBytes = init.maxPushBytes;
    this.idleTimeoutMs = init.idleTimeoutMs;
    this.closeGraceMs = init.closeGraceMs;
    this.hooks = hooks;
    this.socket = socket;
    this.local = addressOf(socket.localAddress, socket.localPort, socket.localFamily);
    this.remote = addressOf(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
    this.attach(socket);
  }

  /** True when the socket speaks TLS. */
  get isTls(): boolean {
    return this.tlsInfo !== undefined;
  }

  /** Bytes received and not yet handed to the owner. */
  get bufferedBytes(): number {
    return this.inbox.length;
  }

  /** Bytes taken by `send` and not yet handed to the system (the peer is slower than the sender). */
  get writeBufferedBytes(): number {
    return this.socket.writableLength;
  }

  /** True while the socket is paused by flow control (exposed for tests and stats). */
  get isPaused(): boolean {
    return this.socket.isPaused();
  }

  /** Lets data move, in `mode`. */
  open(mode: DataMode): void {
    this.state = 'open';
    this.mode = mode;
    this.afterInput();
  }

  /** Changes the data mode of an open connection. */
  setMode(mode: DataMode): void {
    this.mode = mode;
    this.afterInput();
  }

  /** Stops new pushes (a hand-off is under way); a push already in flight finishes for the old owner. */
  hold(): void {
    this.holding = true;
    this.updateFlow();
  }

  /** Ends a hold; bytes kept meanwhile are pushed (or served) now. */
  release(): void {
    this.holding = false;
    this.afterInput();
  }

  /** Writes bytes; resolves once the system took them (so a slow peer slows the sender). */
  send(data: Buffer): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new ClosedError('connection', this.id, this.closeReason ?? 'closed'));
    return new Promise<void>((resolve, reject) => {
      this.socket.write(data, (error) => {
        if (error) {
          reject(new WriteFailedError(this.id, error.message));
          return;
        }
        this.bytesOut += data.length;
        resolve();
      });
    });
  }

  /** Passive read: up to `maxBytes`, waiting for them when none are held. */
  receive(maxBytes: number, timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<Received> {
    if (this.inbox.length > 0) {
      const data = this.inbox.take(maxBytes);
      this.hooks.bufferChanged(-data.length);
      return Promise.resolve({ data, closed: false });
    }
    if (this.peerEnded) {
      this.close(this.socketError ? 'error' : 'peer_closed', false, this.socketError?.message);
      return Promise.resolve({ data: Buffer.alloc(0), closed: true });
    }
    return new Promise<Received>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
        this.updateFlow();
      };
      const onAbort = (): void => {
        cleanup();
        reject(new TcpTimeoutError(`receive on connection ${this.id} was abandoned by its caller`));
      };
      const waiter: Waiter = {
        maxBytes,
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new TcpTimeoutError(`no data on connection ${this.id} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = waiter;
      this.updateFlow();
    });
  }

  /** True while a TLS handshake replaces the socket. */
  get upgrading(): boolean {
    return this.upgradeUnderWay;
  }

  /** True when a `receive` is waiting. */
  get receiving(): boolean {
    return this.waiter !== undefined;
  }

  /**
   * Swaps the socket for a TLS one made by `handshake`. Held bytes go back into the socket first, so
   * a handshake record that arrived early is not lost; the caller guarantees the connection is passive.
   */
  async upgrade(handshake: (raw: net.Socket) => Promise<{ socket: tls.TLSSocket; info: TlsInfo }>): Promise<TlsInfo> {
    this.upgradeUnderWay = true;
    const raw = this.socket;
    raw.pause();
    this.detach(raw);
    // Keep an error listener so a late error on the raw socket never goes unhandled.
    raw.on('error', () => {});
    if (this.inbox.length > 0) {
      const held = this.inbox.drain();
      this.hooks.bufferChanged(-held.length);
      raw.unshift(held);
    }
    try {
      const { socket, info } = await handshake(raw);
      this.upgradeUnderWay = false;
      if (this.state === 'closed') {
        socket.destroy();
        throw new ClosedError('connection', this.id, this.closeReason ?? 'closed');
      }
      this.socket = socket;
      this.tlsInfo = info;
      this.attach(socket);
      this.afterInput();
      return info;
    } catch (error) {
      this.upgradeUnderWay = false;
      raw.destroy();
      this.close('tls_failed', false, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /**
   * Closes the connection. Graceful reasons end the stream (TLS: close_notify, then FIN) and wait for
   * the peer up to the grace period; errors destroy at once.
   */
  close(reason: CloseReason, notifyOwner: boolean, detail?: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeReason = reason;
    this.socket.setTimeout(0);
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter !== undefined) {
      if (reason === 'peer_closed') waiter.resolve({ data: Buffer.alloc(0), closed: true });
      else waiter.reject(new ClosedError('connection', this.id, reason));
    }
    if (this.inbox.length > 0) this.hooks.bufferChanged(-this.inbox.drain().length);
    const socket = this.socket;
    if (GRACEFUL.has(reason) && !socket.destroyed) {
      // Drain and drop whatever the peer still sends so its FIN is seen and the socket can finish.
      socket.removeListener('data', this.onData);
      socket.on('data', () => {});
      socket.end();
      socket.resume();
      const timer = setTimeout(() => socket.destroy(), this.closeGraceMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    } else {
      socket.destroy();
    }
    this.hooks.closed(this, reason, detail, notifyOwner);
  }

  /** Resolves once the socket is fully closed (or at once if it already is). */
  whenSocketClosed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** Destroys the socket now (used when a graceful close takes too long at dispose). */
  destroy(): void {
    this.socket.destroy();
  }

  private attach(socket: net.Socket): void {
    // Pause before adding the data listener: adding one would otherwise switch the stream to flowing.
    socket.pause();
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onSocketClose);
    if (this.idleTimeoutMs !== undefined) {
      socket.setTimeout(this.idleTimeoutMs);
      socket.on('timeout', this.onTimeout);
    }
  }

  private detach(socket: net.Socket): void {
    socket.setTimeout(0);
    socket.removeListener('data', this.onData);
    socket.removeListener('end', this.onEnd);
    socket.removeListener('error', this.onError);
    socket.removeListener('close', this.onSocketClose);
    socket.removeListener('timeout', this.onTimeout);
  }

  /** Decides what newly held bytes (or a peer end) mean in the current state. */
  private afterInput(): void {
    if (this.state !== 'open' || this.upgradeUnderWay) {
      this.updateFlow();
      return;
    }
    if (this.mode === 'passive') this.serveWaiter();
    else void this.pump();
    this.updateFlow();
  }

  private serveWaiter(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    if (this.inbox.length > 0) {
      const data = this.inbox.take(waiter.maxBytes);
      this.hooks.bufferChanged(-data.length);
      waiter.resolve({ data, closed: false });
    } else if (this.peerEnded) {
      this.close(this.socketError ? 'error' : 'peer_closed', false, this.socketError?.message);
    }
  }

  /** Pushes held chunks to the owner one at a time; the socket stays paused while one is in flight. */
  private async pump(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.state === 'open' && !this.holding && !this.upgradeUnderWay && this.mode !== 'passive') {
        if (this.inbox.length === 0) {
          if (this.peerEnded) this.close(this.socketError ? 'error' : 'peer_closed', true, this.socketError?.message);
          break;
        }
        const chunk = this.inbox.take(this.maxPushBytes);
        this.hooks.bufferChanged(-chunk.length);
        if (this.mode === 'once') this.mode = 'passive';
        this.updateFlow();
        try {
          await this.hooks.deliver(this, chunk);
        } catch (error) {
          this.close('delivery_failed', true, error instanceof Error ? error.message : String(error));
          return;
        }
        // A slow owner is not an idle peer: re-arm the idle timer after each delivery.
        if (this.idleTimeoutMs !== undefined && this.state === 'open') this.socket.setTimeout(this.idleTimeoutMs);
      }
    } finally {
      this.delivering = false;
    }
    if (this.state === 'open') {
      // Bytes may have been served to a `receive` the owner made during the push (once mode).
      if (this.mode === 'passive') this.serveWaiter();
      this.updateFlow();
    }
  }

  /** Reads from the socket only when someone is ready for the bytes. */
  private updateFlow(): void {
    if (this.state === 'closed') return;
    const wantRead =
      this.state === 'open' &&
      !this.upgradeUnderWay &&
      !this.peerEnded &&
      this.inbox.length === 0 &&
      (this.mode === 'passive' ? this.waiter !== undefined : !this.delivering && !this.holding);
    if (wantRead) this.socket.resume();
    else this.socket.pause();
  }
}

function addressOf(address: string | undefined, port: number | undefined, family: string | undefined): SocketAddress {
  return { address: address ?? '', port: port ?? 0, family: family ?? '' };
}
