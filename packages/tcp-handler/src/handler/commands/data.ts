import type { CommandContext } from 'cmd-ipc';
import type { Connection } from '../../connection/connection.js';
import { BusyError, LimitReachedError, NotPendingError, PendingError, WrongModeError } from '../../errors/tcp-errors.js';
import type {
  ActivateRequest,
  ActivateResponse,
  CloseRequest,
  CloseResponse,
  PeerAddressRequest,
  PeerAddressResponse,
  ReceiveRequest,
  ReceiveResponse,
  SendRequest,
  SendResponse,
  SetActiveRequest,
  SetActiveResponse,
} from '../../schemas/commands.js';
import type { HandlerCore } from '../core.js';

/** The owner's open (not pending) connection, refusing with the precise reason otherwise. */
export function openConnection(core: HandlerCore, connectionId: string, caller: string, action: string): Connection {
  const connection = core.table.ownedConnection(connectionId, caller);
  if (connection.state === 'pending') throw new PendingError(connection.id, action);
  if (connection.upgrading) throw new BusyError(connection.id, 'a TLS handshake is under way');
  return connection;
}

/** `tcp.activate`: a pending connection starts moving data. */
export function activate(core: HandlerCore, request: ActivateRequest, context: CommandContext): ActivateResponse {
  const connection = core.table.ownedConnection(request.connectionId, context.caller);
  if (connection.state !== 'pending') throw new NotPendingError(connection.id);
  const prefix = request.prefix ?? connection.prefix;
  const mode = core.resolveMode(connection.id, request.mode, prefix);
  connection.prefix = prefix;
  connection.open(mode);
  return { connectionId: connection.id, mode };
}

/** `tcp.set-active`: switch between passive, active and once. */
export function setActive(core: HandlerCore, request: SetActiveRequest, context: CommandContext): SetActiveResponse {
  const connection = openConnection(core, request.connectionId, context.caller, 'tcp.set-active');
  const prefix = request.prefix ?? connection.prefix;
  const mode = core.resolveMode(connection.id, request.mode, prefix);
  if (mode !== 'passive' && connection.receiving) {
    throw new BusyError(connection.id, `a tcp.receive is waiting; it must finish before switching to ${mode} mode`);
  }
  connection.prefix = prefix;
  connection.setMode(mode);
  return { connectionId: connection.id, mode };
}

/** `tcp.send`: write bytes; resolves once the system took them. */
export async function send(core: HandlerCore, request: SendRequest, context: CommandContext): Promise<SendResponse> {
  const connection = openConnection(core, request.connectionId, context.caller, 'tcp.send');
  const data = Buffer.from(request.data, 'base64');
  if (data.length > core.options.maxSendBytes) {
    throw new LimitReachedError(
      `tcp.send on connection ${connection.id}: ${data.length} bytes exceed the maximum of ${core.options.maxSendBytes} per send (maxSendBytes)`,
    );
  }
  // Each send resolves only once written, but sends may overlap: without this bound, a peer that does
  // not read would make the handler buffer whatever callers keep sending.
  const waiting = connection.writeBufferedBytes;
  if (waiting + data.length > core.options.maxWriteBufferBytes) {
    throw new LimitReachedError(
      `tcp.send on connection ${connection.id}: ${waiting} bytes are still waiting to be written and ${data.length} more would exceed ${core.options.maxWriteBufferBytes} (maxWriteBufferBytes); await earlier sends first`,
    );
  }
  await connection.send(data);
  return { bytes: data.length };
}

/** `tcp.receive`: a passive read of up to maxBytes; empty with closed=true when the peer closed. */
export async function receive(core: HandlerCore, request: ReceiveRequest, context: CommandContext): Promise<ReceiveResponse> {
  const connection = openConnection(core, request.connectionId, context.caller, 'tcp.receive');
  if (connection.mode !== 'passive') throw new WrongModeError(connection.id, connection.mode, 'tcp.receive', 'passive');
  const limit = core.options.maxReceiveBytes;
  if (request.maxBytes !== undefined && request.maxBytes > limit) {
    throw new LimitReachedError(
      `tcp.receive on connection ${connection.id}: maxBytes ${request.maxBytes} exceeds the maximum of ${limit} per receive (maxReceiveBytes)`,
    );
  }
  if (connection.receiving) throw new BusyError(connection.id, 'another tcp.receive is already waiting');
  const received = await connection.receive(request.maxBytes ?? limit, request.timeoutMs, context.signal);
  return { data: received.data.toString('base64'), closed: received.closed };
}

/** `tcp.close`: close a connection the caller owns (pending ones too). */
export function close(core: HandlerCore, request: CloseRequest, context: CommandContext): CloseResponse {
  const connection = core.table.ownedConnection(request.connectionId, context.caller);
  connection.close('closed_by_owner', false);
  return { connectionId: connection.id, closed: true };
}

/** `tcp.peer-address`: addresses, state and mode (allowed while pending). */
export function peerAddress(core: HandlerCore, request: PeerAddressRequest, context: CommandContext): PeerAddressResponse {
  const connection = core.table.ownedConnection(request.connectionId, context.caller);
  return {
    connectionId: connection.id,
    local: connection.local,
    remote: connection.remote,
    state: connection.state === 'pending' ? 'pending' : 'open',
    mode: connection.mode,
    tls: connection.isTls,
  };
}
