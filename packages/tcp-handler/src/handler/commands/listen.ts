import type net from 'node:net';
import tls from 'node:tls';
import type { CommandContext } from 'cmd-ipc';
import type { Connection } from '../../connection/connection.js';
import {
  BadAddressError,
  ClosedError,
  LimitReachedError,
  NoPrefixError,
  TcpError,
  TcpTimeoutError,
  WrongModeError,
} from '../../errors/tcp-errors.js';
import { Listener } from '../../listener/listener.js';
import { refuseAddress } from '../../policy/address-policy.js';
import type {
  AcceptRequest,
  AcceptResponse,
  CloseListenerRequest,
  CloseListenerResponse,
  ListenRequest,
  ListenResponse,
} from '../../schemas/commands.js';
import type { TlsInfo } from '../../schemas/common.js';
import { serverHandshake } from '../../tls/handshake.js';
import { type HandlerCore, messageOf } from '../core.js';
import type { TcpListener } from '../resource-table.js';

const DEFAULT_ACCEPT_TIMEOUT_MS = 10_000;

/** `tcp.listen`: a listener owned by the caller; connections go to its callbacks or to `tcp.accept`. */
export async function listen(core: HandlerCore, request: ListenRequest, context: CommandContext): Promise<ListenResponse> {
  const { host, port } = request;
  const refusal = refuseAddress(core.options.listen, host, port);
  if (refusal !== undefined) throw new BadAddressError('listen', host, port, refusal);
  const owner = context.caller;
  const total = core.table.listenerCount();
  if (total >= core.options.maxListeners) {
    throw new LimitReachedError(`the handler holds ${total} listeners, its maximum (maxListeners)`);
  }
  const mine = core.table.listenerCount(owner);
  if (mine >= core.options.maxListenersPerOwner) {
    throw new LimitReachedError(`caller ${owner} holds ${mine} listeners, the maximum per owner (maxListenersPerOwner)`);
  }
  const manualAccept = request.manualAccept ?? request.prefix === undefined;
  if (!manualAccept && request.prefix === undefined) throw new NoPrefixError(`listener on ${host}:${port}`, 'callback accept');
  if (request.tls !== undefined) {
    try {
      tls.createSecureContext({ cert: request.tls.cert, key: request.tls.key, ca: request.tls.ca });
    } catch (error) {
      throw new TcpError('invalid_request', 'tls_failed', `listener on ${host}:${port}: unusable certificate or key: ${messageOf(error)}`);
    }
  }
  // Hold the slot while binding, so concurrent listens cannot pass the limit checks together.
  const release = core.table.reserveListener(owner);
  const claim = core.claims.claim(owner, context.channelId);
  try {
    const listener: TcpListener = new Listener<Connection>(
      {
        id: core.newId('lsn'),
        owner,
        ownerChannelId: context.channelId,
        prefix: request.prefix,
        manualAccept,
        tls: request.tls,
        maxAcceptQueue: core.options.maxAcceptQueue,
      },
      (l, socket) => void acceptSocket(core, l, socket),
    );
    listener.server.on('error', (error) => core.options.logger.warn('listener error', { listenerId: listener.id, error: error.message }));
    try {
      await listener.listen(host, port, request.backlog);
    } catch (error) {
      throw new BadAddressError('listen', host, port, messageOf(error));
    }
    if (core.ownerGone(claim)) {
      listener.close();
      throw new ClosedError('listener', listener.id, 'its owner went away while it was being opened');
    }
    core.table.listeners.set(listener.id, listener);
    return { listenerId: listener.id, host: listener.host, port: listener.port };
  } finally {
    claim.drop();
    release();
  }
}

/** `tcp.accept`: the next connection a manual-accept listener holds; it is pending. */
export async function accept(core: HandlerCore, request: AcceptRequest, context: CommandContext): Promise<AcceptResponse> {
  const listener = core.table.ownedListener(request.listenerId, context.caller);
  if (!listener.manualAccept) {
    throw new WrongModeError(listener.id, 'callback-accept', 'tcp.accept', 'manual-accept (listen with manualAccept: true)');
  }
  const timeoutMs = request.timeoutMs ?? DEFAULT_ACCEPT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connection = await listener.take(Math.max(0, deadline - Date.now()), context.signal);
    if (connection === undefined) {
      if (listener.closed) throw new ClosedError('listener', listener.id, 'closed while waiting in tcp.accept');
      throw new TcpTimeoutError(`no connection on listener ${listener.id} within ${timeoutMs} ms`);
    }
    // Skip a socket that died in the queue.
    if (connection.state !== 'pending') continue;
    const response: AcceptResponse = { connectionId: connection.id, local: connection.local, remote: connection.remote };
    if (connection.tlsInfo !== undefined) response.tls = connection.tlsInfo;
    return response;
  }
}

/** `tcp.close-listener`: stop accepting; connections already handed out stay open. */
export function closeListener(core: HandlerCore, request: CloseListenerRequest, context: CommandContext): CloseListenerResponse {
  const listener = core.table.ownedListener(request.listenerId, context.caller);
  core.closeListener(listener, 'closed_by_owner');
  return { listenerId: listener.id, closed: true };
}

/** Turns an accepted socket into a pending connection, or refuses it when a limit is hit. */
async function acceptSocket(core: HandlerCore, listener: TcpListener, raw: net.Socket): Promise<void> {
  raw.on('error', () => {});
  const refuse = (why: string): void => {
    core.options.logger.warn('refused an inbound connection', { listenerId: listener.id, reason: why });
    raw.destroy();
  };
  if (core.disposed || listener.closed) return refuse('the listener is closed');
  try {
    core.checkConnectionLimits(listener.owner);
  } catch (error) {
    return refuse(messageOf(error));
  }
  let releaseSlot = (): void => {};
  if (listener.manualAccept) {
    const slot = listener.reserveSlot();
    if (slot === undefined) return refuse(`the accept queue of listener ${listener.id} is full`);
    releaseSlot = slot;
  }
  const release = core.table.reserve(listener.owner);
  let socket: net.Socket = raw;
  let tlsInfo: TlsInfo | undefined;
  try {
    if (listener.tls !== undefined) {
      try {
        const handshake = await serverHandshake(raw, listener.tls, listener.tls.handshakeTimeoutMs ?? core.options.handshakeTimeoutMs);
        socket = handshake.socket;
        tlsInfo = handshake.info;
      } catch (error) {
        return refuse(`TLS handshake failed: ${messageOf(error)}`);
      }
    }
  } finally {
    releaseSlot();
    release();
  }
  if (core.disposed || listener.closed) {
    socket.destroy();
    return;
  }
  const connection = core.addConnection(socket, {
    id: core.newId('conn'),
    direction: 'inbound',
    listenerId: listener.id,
    owner: listener.owner,
    ownerChannelId: listener.ownerChannelId,
    prefix: listener.prefix,
    // An inbound connection has no host name; a later client upgrade verifies the peer's address.
    host: socket.remoteAddress,
    tlsInfo,
  });
  if (listener.manualAccept) listener.offer(connection);
  else if (listener.prefix !== undefined) core.announceConnection(connection, listener.id, listener.prefix);
}
