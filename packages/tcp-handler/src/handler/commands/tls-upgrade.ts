import type { CommandContext } from 'cmd-ipc';
import type { Connection } from '../../connection/connection.js';
import { BusyError, InsecureRefusedError, TcpError, TlsFailedError, WrongModeError } from '../../errors/tcp-errors.js';
import type { UpgradeToTlsClientRequest, UpgradeToTlsResponse, UpgradeToTlsServerRequest } from '../../schemas/commands.js';
import { clientHandshake, serverHandshake } from '../../tls/handshake.js';
import { type HandlerCore, messageOf } from '../core.js';
import { openConnection } from './data.js';

/** `tcp.upgrade-to-tls-server`: STARTTLS as the server on a live, passive, plain connection. */
export async function upgradeToTlsServer(
  core: HandlerCore,
  request: UpgradeToTlsServerRequest,
  context: CommandContext,
): Promise<UpgradeToTlsResponse> {
  const connection = upgradable(core, request.connectionId, context.caller, 'tcp.upgrade-to-tls-server');
  const { connectionId: _id, ...options } = request;
  const timeoutMs = options.handshakeTimeoutMs ?? core.options.handshakeTimeoutMs;
  const info = await run(connection, () => connection.upgrade((raw) => serverHandshake(raw, options, timeoutMs)));
  return { connectionId: connection.id, tls: info };
}

/** `tcp.upgrade-to-tls-client`: STARTTLS as the client; SNI and the name check default to the connected host. */
export async function upgradeToTlsClient(
  core: HandlerCore,
  request: UpgradeToTlsClientRequest,
  context: CommandContext,
): Promise<UpgradeToTlsResponse> {
  const connection = upgradable(core, request.connectionId, context.caller, 'tcp.upgrade-to-tls-client');
  if (request.insecureSkipVerify === true && !core.options.allowInsecureSkipVerify) throw new InsecureRefusedError(connection.id);
  const { connectionId: _id, ...options } = request;
  const host = connection.host ?? connection.remote.address;
  const timeoutMs = options.handshakeTimeoutMs ?? core.options.handshakeTimeoutMs;
  const info = await run(connection, () => connection.upgrade((raw) => clientHandshake(raw, host, options, timeoutMs)));
  return { connectionId: connection.id, tls: info };
}

/**
 * A connection that may start a handshake: open, plain, passive (so no handshake byte is pushed to the
 * owner as data, as Erlang's ssl:handshake also requires) and with no receive waiting.
 */
function upgradable(core: HandlerCore, connectionId: string, caller: string, action: string): Connection {
  const connection = openConnection(core, connectionId, caller, action);
  if (connection.isTls) throw new WrongModeError(connection.id, 'TLS', action, 'plain (not yet TLS)');
  if (connection.mode !== 'passive') throw new WrongModeError(connection.id, connection.mode, action, 'passive');
  if (connection.receiving) throw new BusyError(connection.id, `a tcp.receive is waiting; it must finish before ${action}`);
  return connection;
}

async function run<T>(connection: Connection, handshake: () => Promise<T>): Promise<T> {
  try {
    return await handshake();
  } catch (error) {
    if (error instanceof TcpError) throw error;
    throw new TlsFailedError(connection.id, messageOf(error));
  }
}
