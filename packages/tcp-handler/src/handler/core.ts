import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { Connection, type ConnectionInit } from '../connection/connection.js';
import { LimitReachedError, NoPrefixError } from '../errors/tcp-errors.js';
import type {
  CloseReason,
  HandleConnectionRequest,
  HandleConnectionTransferRequest,
  OnCloseRequest,
  OnDataRequest,
} from '../schemas/callbacks.js';
import type { DataMode } from '../schemas/common.js';
import type { ConnectionClosedEvent, ConnectionOpenedEvent, ConnectionTransferredEvent } from '../schemas/events.js';
import type { ResolvedTcpHandlerOptions } from './options.js';
import type { RegistryPort } from 'cmd-ipc';
import { OwnerClaims, type OwnerClaim } from './owner-claims.js';
import { ResourceTable, type TcpListener } from './resource-table.js';

const CALLBACK_NAMES = ['handle-connection-transfer', 'on-data', 'on-close', 'handle-connection'] as const;

/** Buffered-byte figures the handler exposes, so tests and operators can see flow control work. */
export interface BufferStats {
  /** Bytes held in connection inboxes right now. */
  bufferedBytes: number;
  /** The most bytes ever held at once. */
  peakBufferedBytes: number;
}

/**
 * State and shared steps of one TCP handler: the resource table, the registry it calls back through,
 * and the bookkeeping every command needs (limits, events, callbacks). Commands live in ./commands.
 */
export class HandlerCore {
  readonly table = new ResourceTable();
  readonly buffers: BufferStats = { bufferedBytes: 0, peakBufferedBytes: 0 };
  /** Owners of connects, listens and hand-offs still under way. */
  readonly claims = new OwnerClaims();
  disposed = false;

  constructor(
    readonly registry: RegistryPort,
    readonly options: ResolvedTcpHandlerOptions,
  ) {}

  /** A fresh opaque id. */
  newId(kind: 'conn' | 'lsn'): string {
    return `${kind}-${randomUUID()}`;
  }

  /** Throws when `owner` may not hold one more connection. */
  checkConnectionLimits(owner: string): void {
    const total = this.table.connectionCount();
    if (total >= this.options.maxConnections) {
      throw new LimitReachedError(`the handler holds ${total} connections, its maximum (maxConnections)`);
    }
    const mine = this.table.connectionCount(owner);
    if (mine >= this.options.maxConnectionsPerOwner) {
      throw new LimitReachedError(
        `caller ${owner} holds ${mine} connections, the maximum per owner (maxConnectionsPerOwner)`,
      );
    }
  }

  /** The mode rule: `active` when a prefix is known, else `passive`; pushing modes need a prefix. */
  resolveMode(connectionId: string, mode: DataMode | undefined, prefix: string | undefined): DataMode {
    const chosen = mode ?? (prefix !== undefined ? 'active' : 'passive');
    if (chosen !== 'passive' && prefix === undefined) throw new NoPrefixError(connectionId, chosen);
    return chosen;
  }

  /** Wraps a socket as a connection, enters it in the table and announces it. */
  addConnection(socket: net.Socket, init: Omit<ConnectionInit, 'maxPushBytes' | 'idleTimeoutMs' | 'closeGraceMs'>): Connection {
    const connection = new Connection(
      socket,
      {
        ...init,
        maxPushBytes: this.options.maxPushBytes,
        idleTimeoutMs: this.options.idleTimeoutMs,
        closeGraceMs: this.options.closeGraceMs,
      },
      {
        deliver: (conn, chunk) => this.deliver(conn, chunk),
        closed: (conn, reason, detail, notify) => this.onConnectionClosed(conn, reason, detail, notify),
        bufferChanged: (delta) => this.bufferChanged(delta),
      },
    );
    this.table.connections.set(connection.id, connection);
    const event: ConnectionOpenedEvent = {
      connectionId: connection.id,
      owner: connection.owner,
      direction: connection.direction,
      local: connection.local,
      remote: connection.remote,
      tls: connection.isTls,
    };
    if (connection.listenerId !== undefined) event.listenerId = connection.listenerId;
    this.emit('tcp.connection.opened', event);
    return connection;
  }

  /** Tells a listener's owner about a new pending connection; closes it if nobody takes it. */
  announceConnection(connection: Connection, listenerId: string, prefix: string): void {
    const request: HandleConnectionRequest = {
      listenerId,
      connectionId: connection.id,
      local: connection.local,
      remote: connection.remote,
    };
    if (connection.tlsInfo !== undefined) request.tls = connection.tlsInfo;
    const owner = connection.owner;
    this.callback(`${prefix}.handle-connection`, request).catch((error: unknown) => {
      // Nobody took it: a pending connection with no reachable owner would only leak.
      if (connection.state === 'pending' && connection.owner === owner) {
        connection.close('delivery_failed', false, `${prefix}.handle-connection failed: ${messageOf(error)}`);
      }
      this.options.logger.warn('handle-connection callback failed', { connectionId: connection.id, error: messageOf(error) });
    });
  }

  /** Tells the new owner it got a connection (`<prefix>.handle-connection-transfer`). */
  announceTransfer(request: HandleConnectionTransferRequest, prefix: string): Promise<unknown> {
    return this.callback(`${prefix}.handle-connection-transfer`, request);
  }

  /**
   * The channel through which the owner of `prefix` callbacks is reached: the channel that advertised
   * them, else the router when there is one, else none (the owner is in this process).
   */
  channelOfPrefix(prefix: string): string | undefined {
    const callbacks = new Set(CALLBACK_NAMES.map((name) => `${prefix}.${name}`));
    const command = this.registry.listCommands().find((c) => callbacks.has(c.id));
    if (command !== undefined) return command.owner === 'local' ? undefined : command.owner;
    return this.registry.listChannels().find((c) => c.isRouter)?.id;
  }

  /** True when the handler stopped or the claim's owner went away (news, or its channel gone) since it was made. */
  ownerGone(claim: OwnerClaim): boolean {
    return this.disposed || claim.gone || !this.channelAlive(claim.channelId);
  }

  /** True when `channelId` is still connected to the registry (or none was given). */
  channelAlive(channelId: string | undefined): boolean {
    if (channelId === undefined) return true;
    return this.registry.listChannels().some((c) => c.id === channelId);
  }

  /** Emits a tcp.* monitoring event. */
  emit(
    id: 'tcp.connection.opened' | 'tcp.connection.closed' | 'tcp.connection.transferred',
    payload: ConnectionOpenedEvent | ConnectionClosedEvent | ConnectionTransferredEvent,
  ): void {
    try {
      this.registry.emitEvent(id, payload);
    } catch (error) {
      this.options.logger.warn('could not emit event', { eventId: id, error: messageOf(error) });
    }
  }

  /** Closes every connection and listener whose owner matches. */
  closeOwned(matches: (owner: string, channelId: string | undefined) => boolean, why: string): number {
    // Operations still under way for this owner must not add to the table after this.
    this.claims.markGone(matches);
    let closed = 0;
    for (const listener of [...this.table.listeners.values()]) {
      if (!matches(listener.owner, listener.ownerChannelId)) continue;
      this.closeListener(listener, 'owner_gone');
      closed += 1;
    }
    for (const connection of [...this.table.connections.values()]) {
      if (!matches(connection.owner, connection.ownerChannelId)) continue;
      connection.close('owner_gone', false, why);
      closed += 1;
    }
    return closed;
  }

  /** Stops a listener and closes the connections nobody accepted yet, for the same reason. */
  closeListener(listener: TcpListener, reason: CloseReason): void {
    this.table.removeListener(listener, reason);
    for (const queued of listener.close()) queued.close(reason, false, `listener ${listener.id} closed`);
  }

  /** Executes a callback command, bounded by the callback timeout. */
  callback(commandId: string, request: HandleConnectionRequest | HandleConnectionTransferRequest | OnDataRequest | OnCloseRequest): Promise<unknown> {
    return this.registry.executeCommand(commandId, request, { timeoutMs: this.options.callbackTimeoutMs });
  }

  private deliver(connection: Connection, chunk: Buffer): Promise<void> {
    const prefix = connection.prefix;
    if (prefix === undefined) return Promise.reject(new NoPrefixError(connection.id, connection.mode));
    const request: OnDataRequest = { connectionId: connection.id, data: chunk.toString('base64') };
    return this.callback(`${prefix}.on-data`, request).then(() => undefined);
  }

  private onConnectionClosed(connection: Connection, reason: CloseReason, detail: string | undefined, notify: boolean): void {
    this.table.removeConnection(connection, reason);
    if (connection.listenerId !== undefined) this.table.listeners.get(connection.listenerId)?.forget(connection);
    this.emit('tcp.connection.closed', {
      connectionId: connection.id,
      owner: connection.owner,
      reason,
      local: connection.local,
      remote: connection.remote,
      bytesIn: connection.bytesIn,
      bytesOut: connection.bytesOut,
    });
    if (notify && connection.prefix !== undefined && !this.disposed) {
      const request: OnCloseRequest = { connectionId: connection.id, reason };
      if (detail !== undefined) request.message = detail;
      this.callback(`${connection.prefix}.on-close`, request).catch((error: unknown) => {
        this.options.logger.debug('on-close callback failed', { connectionId: connection.id, error: messageOf(error) });
      });
    }
  }

  private bufferChanged(delta: number): void {
    this.buffers.bufferedBytes += delta;
    if (this.buffers.bufferedBytes > this.buffers.peakBufferedBytes) this.buffers.peakBufferedBytes = this.buffers.bufferedBytes;
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
