import net from 'node:net';
import type { CommandContext } from 'cmd-ipc';
import {
  BadAddressError,
  ConnectFailedError,
  InsecureRefusedError,
  TcpTimeoutError,
  TlsFailedError,
} from '../../errors/tcp-errors.js';
import { refuseAddress } from '../../policy/address-policy.js';
import type { ConnectRequest, ConnectResponse } from '../../schemas/commands.js';
import type { TlsInfo } from '../../schemas/common.js';
import { clientHandshake } from '../../tls/handshake.js';
import { type HandlerCore, messageOf } from '../core.js';

/** `tcp.connect`: an outbound connection owned by the caller, active from the start. */
export async function connect(core: HandlerCore, request: ConnectRequest, context: CommandContext): Promise<ConnectResponse> {
  const { host, port } = request;
  const refusal = refuseAddress(core.options.connect, host, port);
  if (refusal !== undefined) throw new BadAddressError('connect', host, port, refusal);
  const owner = context.caller;
  core.checkConnectionLimits(owner);
  const mode = core.resolveMode(`to ${host}:${port}`, request.mode, request.prefix);
  if (request.tls?.insecureSkipVerify === true && !core.options.allowInsecureSkipVerify) {
    throw new InsecureRefusedError(`to ${host}:${port}`);
  }
  const release = core.table.reserve(owner);
  const claim = core.claims.claim(owner, context.channelId);
  try {
    const timeoutMs = request.timeoutMs ?? core.options.connectTimeoutMs;
    const raw = await openSocket(host, port, timeoutMs);
    let socket: net.Socket = raw;
    let tlsInfo: TlsInfo | undefined;
    if (request.tls !== undefined) {
      try {
        const handshake = await clientHandshake(raw, host, request.tls, request.tls.handshakeTimeoutMs ?? core.options.handshakeTimeoutMs);
        socket = handshake.socket;
        tlsInfo = handshake.info;
      } catch (error) {
        raw.destroy();
        throw new TlsFailedError(`to ${host}:${port}`, messageOf(error));
      }
    }
    if (core.ownerGone(claim)) {
      // The owner (or the handler) went away while we were connecting: nobody would ever close this.
      socket.destroy();
      throw new ConnectFailedError(host, port, 'the caller went away while connecting');
    }
    const connection = core.addConnection(socket, {
      id: core.newId('conn'),
      direction: 'outbound',
      owner,
      ownerChannelId: context.channelId,
      prefix: request.prefix,
      host,
      tlsInfo,
    });
    connection.open(mode);
    const response: ConnectResponse = {
      connectionId: connection.id,
      mode,
      local: connection.local,
      remote: connection.remote,
    };
    if (tlsInfo !== undefined) response.tls = tlsInfo;
    return response;
  } finally {
    claim.drop();
    release();
  }
}

/** Opens a plain socket, bounded by `timeoutMs`. */
function openSocket(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new TcpTimeoutError(`connect to ${host}:${port} did not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = (): void => {
      cleanup();
      // Until the connection attaches its own listeners, a late error must not go unhandled.
      socket.on('error', () => {});
      resolve(socket);
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      cleanup();
      socket.destroy();
      reject(new ConnectFailedError(host, port, error.message));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.removeListener('connect', onConnect);
      socket.removeListener('error', onError);
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}
