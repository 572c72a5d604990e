import type { ExecuteOptions } from 'cmd-ipc';
import type { TcpCommandId, TcpRequest, TcpResponse } from '../schemas/commands.js';

/** Anything that can execute a command (a `CommandRegistry`). */
export interface CommandExecutor {
  executeCommand(id: string, request?: unknown, options?: ExecuteOptions): Promise<unknown>;
}

type Call<Id extends TcpCommandId> = (request: TcpRequest<Id>, options?: ExecuteOptions) => Promise<TcpResponse<Id>>;

/** Typed calls to the `tcp.*` commands, wherever in the mesh they are registered. */
export interface TcpClient {
  connect: Call<'tcp.connect'>;
  listen: Call<'tcp.listen'>;
  accept: Call<'tcp.accept'>;
  activate: Call<'tcp.activate'>;
  setActive: Call<'tcp.set-active'>;
  transfer: Call<'tcp.transfer'>;
  peerAddress: Call<'tcp.peer-address'>;
  send: Call<'tcp.send'>;
  receive: Call<'tcp.receive'>;
  close: Call<'tcp.close'>;
  closeListener: Call<'tcp.close-listener'>;
  upgradeToTlsServer: Call<'tcp.upgrade-to-tls-server'>;
  upgradeToTlsClient: Call<'tcp.upgrade-to-tls-client'>;
  release: Call<'tcp.release'>;
  /** `tcp.send` with raw bytes. */
  sendBytes(connectionId: string, data: Uint8Array | string, options?: ExecuteOptions): Promise<TcpResponse<'tcp.send'>>;
  /** `tcp.receive` returning raw bytes (`closed` when the peer closed). */
  receiveBytes(
    connectionId: string,
    request?: Omit<TcpRequest<'tcp.receive'>, 'connectionId'>,
    options?: ExecuteOptions,
  ): Promise<{ data: Buffer; closed: boolean }>;
}

/**
 * A typed client for the `tcp.*` commands. `defaults` (for example `{ caller }` for an in-process
 * caller acting for an actor) apply to every call.
 */
export function tcpClient(executor: CommandExecutor, defaults: ExecuteOptions = {}): TcpClient {
  const call =
    <Id extends TcpCommandId>(id: Id): Call<Id> =>
    (request, options) =>
      executor.executeCommand(id, request, { ...defaults, ...options }) as Promise<TcpResponse<Id>>;
  const client: TcpClient = {
    connect: call('tcp.connect'),
    listen: call('tcp.listen'),
    accept: call('tcp.accept'),
    activate: call('tcp.activate'),
    setActive: call('tcp.set-active'),
    transfer: call('tcp.transfer'),
    peerAddress: call('tcp.peer-address'),
    send: call('tcp.send'),
    receive: call('tcp.receive'),
    close: call('tcp.close'),
    closeListener: call('tcp.close-listener'),
    upgradeToTlsServer: call('tcp.upgrade-to-tls-server'),
    upgradeToTlsClient: call('tcp.upgrade-to-tls-client'),
    release: call('tcp.release'),
    sendBytes: (connectionId, data, options) =>
      client.send({ connectionId, data: Buffer.from(data).toString('base64') }, options),
    receiveBytes: async (connectionId, request = {}, options) => {
      const result = await client.receive({ connectionId, ...request }, options);
      return { data: Buffer.from(result.data, 'base64'), closed: result.closed };
    },
  };
  return client;
}
