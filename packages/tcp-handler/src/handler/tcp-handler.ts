import type { ChannelClosedInfo, CommandContext } from 'cmd-ipc';
import type { z } from 'zod';
import type { Connection } from '../connection/connection.js';
import { TCP_COMMANDS, type TcpCommandId, type TcpResponse } from '../schemas/commands.js';
import type { DataMode } from '../schemas/common.js';
import { connect } from './commands/connect.js';
import { activate, close, peerAddress, receive, send, setActive } from './commands/data.js';
import { accept, closeListener, listen } from './commands/listen.js';
import { upgradeToTlsClient, upgradeToTlsServer } from './commands/tls-upgrade.js';
import { transfer } from './commands/transfer.js';
import { HandlerCore } from './core.js';
import { resolveOptions, type TcpHandlerOptions } from './options.js';
import type { RegistryPort } from 'cmd-ipc';

/** The mesh event a hub emits when one of its channels closes (PROTOCOL: `cmd-ipc.channel.closed`). */
const CHANNEL_CLOSED_EVENT = 'cmd-ipc.channel.closed';

type Implementation = {
  [Id in TcpCommandId]: (
    request: z.output<(typeof TCP_COMMANDS)[Id]['request']>,
    context: CommandContext,
  ) => TcpResponse<Id> | Promise<TcpResponse<Id>>;
};

/** Counters for monitoring and tests. */
export interface TcpHandlerStats {
  connections: number;
  pendingConnections: number;
  listeners: number;
  /** Bytes received and not yet handed to owners, across all connections. */
  bufferedBytes: number;
  /** The most such bytes ever held at once: bounded by flow control, whatever the owners' speed. */
  peakBufferedBytes: number;
}

/** What `inspect` tells about one connection. */
export interface ConnectionSnapshot {
  id: string;
  owner: string;
  state: 'pending' | 'open';
  mode: DataMode;
  tls: boolean;
  bufferedBytes: number;
  socketPaused: boolean;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Raw TCP and TLS for any caller in the mesh, as `tcp.*` commands on a registry. Connections and
 * listeners belong to the caller that made (or received) them; when that caller goes away, they close.
 */
export class TcpHandler {
  private readonly core: HandlerCore;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly registered: TcpCommandId[] = [];

  constructor(registry: RegistryPort, options: TcpHandlerOptions = {}) {
    this.core = new HandlerCore(registry, resolveOptions(options));
  }

  /** Registers every `tcp.*` command and starts watching for owners going away. */
  async register(): Promise<this> {
    const core = this.core;
    if (this.registered.length > 0 || this.unsubscribe.length > 0) throw new Error('TcpHandler.register() was already called');
    if (core.disposed) throw new Error('TcpHandler.register() after dispose()');
    const implementation: Implementation = {
      'tcp.connect': (request, context) => connect(core, request, context),
      'tcp.listen': (request, context) => listen(core, request, context),
      'tcp.accept': (request, context) => accept(core, request, context),
      'tcp.activate': (request, context) => activate(core, request, context),
      'tcp.set-active': (request, context) => setActive(core, request, context),
      'tcp.transfer': (request, context) => transfer(core, request, context),
      'tcp.peer-address': (request, context) => peerAddress(core, request, context),
      'tcp.send': (request, context) => send(core, request, context),
      'tcp.receive': (request, context) => receive(core, request, context),
      'tcp.close': (request, context) => close(core, request, context),
      'tcp.close-listener': (request, context) => closeListener(core, request, context),
      'tcp.upgrade-to-tls-server': (request, context) => upgradeToTlsServer(core, request, context),
      'tcp.upgrade-to-tls-client': (request, context) => upgradeToTlsClient(core, request, context),
      // A caller can only ever release itself and what is beneath it: the stamped caller decides.
      'tcp.release': (_request, context) => ({ closed: this.releaseOwner(context.caller) }),
    };
    this.unsubscribe.push(core.registry.onChannelClosed((info) => this.channelClosed(info)));
    this.unsubscribe.push(core.registry.addEventListener(CHANNEL_CLOSED_EVENT, (payload) => this.meshChannelClosed(payload)));
    for (const id of Object.keys(TCP_COMMANDS) as TcpCommandId[]) {
      await this.registerOne(id, implementation[id]);
    }
    return this;
  }

  /**
   * Closes everything `caller` owns (and everything owned by callers beneath it, `caller/…`): for
   * in-process owners that stop without a channel closing, e.g. an actor being stopped.
   */
  releaseOwner(caller: string): number {
    return this.core.closeOwned((owner) => isSameOrBeneath(owner, caller), `owner ${caller} was released`);
  }

  /** Counters for monitoring and tests. */
  stats(): TcpHandlerStats {
    let pending = 0;
    for (const connection of this.core.table.connections.values()) if (connection.state === 'pending') pending += 1;
    return {
      connections: this.core.table.connections.size,
      pendingConnections: pending,
      listeners: this.core.table.listeners.size,
      bufferedBytes: this.core.buffers.bufferedBytes,
      peakBufferedBytes: this.core.buffers.peakBufferedBytes,
    };
  }

  /** A snapshot of one connection, or undefined when it is not open. */
  inspect(connectionId: string): ConnectionSnapshot | undefined {
    const connection: Connection | undefined = this.core.table.connections.get(connectionId);
    if (connection === undefined || connection.state === 'closed') return undefined;
    return {
      id: connection.id,
      owner: connection.owner,
      state: connection.state,
      mode: connection.mode,
      tls: connection.isTls,
      bufferedBytes: connection.bufferedBytes,
      socketPaused: connection.isPaused,
      bytesIn: connection.bytesIn,
      bytesOut: connection.bytesOut,
    };
  }

  /** Unregisters the commands and closes every listener and connection; resolves when the sockets are closed. */
  async dispose(): Promise<void> {
    const core = this.core;
    if (core.disposed) return;
    core.disposed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    for (const id of this.registered.splice(0)) core.registry.unregisterCommand(id);
    for (const listener of [...core.table.listeners.values()]) core.closeListener(listener, 'handler_disposed');
    const connections = [...core.table.connections.values()];
    for (const connection of connections) connection.close('handler_disposed', false);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, core.options.closeGraceMs).unref());
    await Promise.race([Promise.all(connections.map((c) => c.whenSocketClosed())), grace]);
    for (const connection of connections) connection.destroy();
  }

  private async registerOne<Id extends TcpCommandId>(id: Id, run: Implementation[Id]): Promise<void> {
    const { request: requestSchema, response: responseSchema, description } = TCP_COMMANDS[id];
    await this.core.registry.registerCommand(
      id,
      // The registry checks the request against `requestSchema` and passes the parsed value (RegistryPort).
      (request: unknown, context: CommandContext) => run(request as Parameters<Implementation[Id]>[0], context),
      { description, schema: { request: requestSchema, response: responseSchema } },
    );
    this.registered.push(id);
  }

  /** A channel of this registry closed: close what was created through it. */
  private channelClosed(info: ChannelClosedInfo): void {
    this.core.closeOwned(
      (owner, channelId) => channelId === info.channelId || (info.identity !== undefined && isSameOrBeneath(owner, info.identity)),
      `channel ${info.channelId} closed`,
    );
  }

  /** A channel closed somewhere in the mesh (a hub's spoke went away): close what its identity owned. */
  private meshChannelClosed(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const { registryId, channelId, identity } = payload as { registryId?: unknown; channelId?: unknown; identity?: unknown };
    if (registryId === this.core.registry.id && typeof channelId === 'string') {
      this.channelClosed({ registryId, channelId, identity: typeof identity === 'string' ? identity : undefined });
      return;
    }
    if (typeof identity !== 'string' || identity === '') return;
    // Only owners whose requests came through a channel can be behind another registry's spoke; an
    // in-process owner (no channel) is never closed by news from elsewhere, e.g. about this node's
    // own earlier link being replaced on a hub.
    this.core.closeOwned(
      (owner, channelId) => channelId !== undefined && isSameOrBeneath(owner, identity),
      `${identity} disconnected from ${String(registryId)}`,
    );
  }
}

/** Registers the `tcp.*` commands on `registry` and returns the running handler. */
export function registerTcpHandler(registry: RegistryPort, options?: TcpHandlerOptions): Promise<TcpHandler> {
  return new TcpHandler(registry, options).register();
}

function isSameOrBeneath(owner: string, root: string): boolean {
  return owner === root || owner.startsWith(`${root}/`);
}
