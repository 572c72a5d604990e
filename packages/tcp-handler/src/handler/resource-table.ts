import type { Connection } from '../connection/connection.js';
import { ClosedError, NotOwnerError, UnknownIdError } from '../errors/tcp-errors.js';
import type { Listener } from '../listener/listener.js';

/** How long a closed id is remembered, so a late call hears "closed" rather than "unknown". */
const TOMBSTONE_LIMIT = 4096;

/** A listener whose accepted sockets become connections. */
export type TcpListener = Listener<Connection>;

/** The open connections and listeners, who owns them, and recently closed ids. */
export class ResourceTable {
  readonly connections = new Map<string, Connection>();
  readonly listeners = new Map<string, TcpListener>();
  /** Slots taken by connects and TLS accepts still under way, per owner, so limits hold under concurrency. */
  private readonly reserved = new Map<string, number>();
  /** Slots taken by listens still binding, per owner, for the same reason. */
  private readonly reservedListeners = new Map<string, number>();
  private readonly tombstones = new Map<string, string>();

  /** The connection `id`, if `caller` owns it; otherwise the precise refusal. */
  ownedConnection(id: string, caller: string): Connection {
    const connection = this.connections.get(id);
    if (connection === undefined) {
      const why = this.tombstones.get(`c:${id}`);
      if (why !== undefined) throw new ClosedError('connection', id, why);
      throw new UnknownIdError('connection', id);
    }
    if (connection.owner !== caller) throw new NotOwnerError('connection', id, caller);
    return connection;
  }

  /** The listener `id`, if `caller` owns it; otherwise the precise refusal. */
  ownedListener(id: string, caller: string): TcpListener {
    const listener = this.listeners.get(id);
    if (listener === undefined) {
      const why = this.tombstones.get(`l:${id}`);
      if (why !== undefined) throw new ClosedError('listener', id, why);
      throw new UnknownIdError('listener', id);
    }
    if (listener.owner !== caller) throw new NotOwnerError('listener', id, caller);
    return listener;
  }

  /** Forgets a closed connection, remembering why it closed. */
  removeConnection(connection: Connection, why: string): void {
    this.connections.delete(connection.id);
    this.remember(`c:${connection.id}`, why);
  }

  /** Forgets a closed listener. */
  removeListener(listener: TcpListener, why: string): void {
    this.listeners.delete(listener.id);
    this.remember(`l:${listener.id}`, why);
  }

  /** Open connections (pending ones included) plus reserved slots, for one owner or all. */
  connectionCount(owner?: string): number {
    let count = 0;
    for (const connection of this.connections.values()) if (owner === undefined || connection.owner === owner) count += 1;
    if (owner === undefined) for (const n of this.reserved.values()) count += n;
    else count += this.reserved.get(owner) ?? 0;
    return count;
  }

  /** Listeners plus listens still binding, for one owner or all. */
  listenerCount(owner?: string): number {
    let count = 0;
    for (const listener of this.listeners.values()) if (owner === undefined || listener.owner === owner) count += 1;
    if (owner === undefined) for (const n of this.reservedListeners.values()) count += n;
    else count += this.reservedListeners.get(owner) ?? 0;
    return count;
  }

  /** Takes a connection slot for `owner` until the returned function is called. */
  reserve(owner: string): () => void {
    return take(this.reserved, owner);
  }

  /** Takes a listener slot for `owner` until the returned function is called. */
  reserveListener(owner: string): () => void {
    return take(this.reservedListeners, owner);
  }

  private remember(key: string, why: string): void {
    this.tombstones.set(key, why);
    if (this.tombstones.size > TOMBSTONE_LIMIT) {
      const oldest = this.tombstones.keys().next().value;
      if (oldest !== undefined) this.tombstones.delete(oldest);
    }
  }
}

/** Counts one more slot for `owner` in `slots`; the returned function gives it back (once). */
function take(slots: Map<string, number>, owner: string): () => void {
  slots.set(owner, (slots.get(owner) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (slots.get(owner) ?? 1) - 1;
    if (left <= 0) slots.delete(owner);
    else slots.set(owner, left);
  };
}
