import net from 'node:net';
import type { TlsServerOptions } from '../schemas/common.js';

/** Fixed facts about a listener, given when it is made. */
export interface ListenerInit {
  id: string;
  owner: string;
  ownerChannelId?: string;
  prefix?: string;
  manualAccept: boolean;
  tls?: TlsServerOptions;
  maxAcceptQueue: number;
}

/** One queued connection waiting for `tcp.accept`, or a waiter for one. */
type AcceptWaiter<T> = (item: T | undefined) => void;

/**
 * A listening socket. Sockets are accepted paused (`pauseOnConnect`), so no byte is read before the
 * owner activates the connection. It only accepts; turning sockets into connections is the handler's job.
 */
export class Listener<T> {
  readonly id: string;
  owner: string;
  ownerChannelId: string | undefined;
  readonly prefix: string | undefined;
  readonly manualAccept: boolean;
  readonly tls: TlsServerOptions | undefined;
  readonly server: net.Server;
  closed = false;
  host = '';
  port = 0;

  private readonly maxAcceptQueue: number;
  private readonly queue: T[] = [];
  private readonly waiters: AcceptWaiter<T>[] = [];
  /** Queue slots held by connections still in their TLS handshake. */
  private reserved = 0;

  constructor(init: ListenerInit, onSocket: (listener: Listener<T>, socket: net.Socket) => void) {
    this.id = init.id;
    this.owner = init.owner;
    this.ownerChannelId = init.ownerChannelId;
    this.prefix = init.prefix;
    this.manualAccept = init.manualAccept;
    this.tls = init.tls;
    this.maxAcceptQueue = init.maxAcceptQueue;
    this.server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => onSocket(this, socket));
  }

  /** Binds and starts listening; resolves with the bound address. */
  listen(host: string, port: number, backlog: number | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host, port, backlog }, () => {
        this.server.removeListener('error', onError);
        // Errors after bind (e.g. EMFILE on accept) are logged by the handler, never thrown.
        const address = this.server.address();
        if (address !== null && typeof address === 'object') {
          this.host = address.address;
          this.port = address.port;
        }
        resolve();
      });
    });
  }

  /**
   * Takes a manual-accept queue slot for a connection that will be offered after an await (its TLS
   * handshake), so concurrent handshakes cannot overfill the queue; undefined when it is full.
   * Waiting accepts count as room. The returned function gives the slot back (call it before `offer`).
   */
  reserveSlot(): (() => void) | undefined {
    if (this.queue.length + this.reserved >= this.maxAcceptQueue + this.waiters.length) return undefined;
    this.reserved += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved -= 1;
    };
  }

  /** Hands a connection to a waiting `accept`, or queues it. */
  offer(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(item);
    else this.queue.push(item);
  }

  /** The next queued connection, waiting up to `timeoutMs` (undefined when none came). */
  take(timeoutMs: number, signal: AbortSignal | undefined): Promise<T | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (timeoutMs === 0) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve) => {
      const finish = (item: T | undefined): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(item);
      };
      const waiter: AcceptWaiter<T> = (item) => finish(item);
      const onAbort = (): void => finish(undefined);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Drops a queued connection that closed before anyone accepted it. */
  forget(item: T): void {
    const index = this.queue.indexOf(item);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** Stops listening; waiting accepts get nothing; returns the never-accepted connections for the caller to close. */
  close(): T[] {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    // server.close() stops accepting at once; its callback would wait for every accepted socket to end,
    // and those belong to their owners now, so do not wait for it.
    if (this.server.listening) this.server.close();
    return this.queue.splice(0);
  }
}
