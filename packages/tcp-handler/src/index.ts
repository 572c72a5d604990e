/**
 * @cmd-ipc/tcp-handler: raw TCP and TLS for any caller in the mesh, as `tcp.*` commands.
 */
export { TcpHandler, registerTcpHandler } from './handler/tcp-handler.js';
export type { TcpHandlerStats, ConnectionSnapshot } from './handler/tcp-handler.js';
export type { TcpHandlerOptions } from './handler/options.js';
export type { RegistryPort } from 'cmd-ipc';
export type { AddressPolicy } from './policy/address-policy.js';
export { tcpClient } from './client/tcp-client.js';
export type { TcpClient, CommandExecutor } from './client/tcp-client.js';
export { registerTcpCallbacks } from './client/callbacks.js';
export type { TcpCallbacks, CommandRegistrar } from './client/callbacks.js';
export * from './schemas/common.js';
export * from './schemas/commands.js';
export * from './schemas/callbacks.js';
export * from './schemas/events.js';
export * from './errors/tcp-errors.js';
