import type { Logger } from 'cmd-ipc';
import type { AddressPolicy } from '../policy/address-policy.js';

/** How a `TcpHandler` behaves; every field has a safe default. */
export interface TcpHandlerOptions {
  /** Open connections across all owners (default 1024). */
  maxConnections?: number;
  /** Open connections one owner may hold, pending ones included (default 256). */
  maxConnectionsPerOwner?: number;
  /** Listeners across all owners (default 64). */
  maxListeners?: number;
  /** Listeners one owner may hold (default 16). */
  maxListenersPerOwner?: number;
  /** Connections a manual-accept listener holds before refusing more (default 128). */
  maxAcceptQueue?: number;
  /** Ceiling and default of `receive`'s maxBytes (default 1 MiB). */
  maxReceiveBytes?: number;
  /** Largest chunk pushed to `<prefix>.on-data`; larger reads are split (default 64 KiB). */
  maxPushBytes?: number;
  /** Largest `tcp.send` payload, decoded (default 4 MiB). */
  maxSendBytes?: number;
  /**
   * Bytes one connection may hold waiting to be written (a peer that does not read); a `tcp.send`
   * past it is refused instead of buffered (default 8 MiB, at least maxSendBytes).
   */
  maxWriteBufferBytes?: number;
  /** Close a connection after this many ms without traffic either way; off when absent. */
  idleTimeoutMs?: number;
  /** Bound on an outbound connect when the request names none (default 10 s). */
  connectTimeoutMs?: number;
  /** Bound on a TLS handshake when the request names none (default 10 s). */
  handshakeTimeoutMs?: number;
  /** Bound on each callback call (`on-data` and friends); default 30 s. */
  callbackTimeoutMs?: number;
  /** After a graceful close, destroy the socket if the peer has not finished within this many ms (default 5 s). */
  closeGraceMs?: number;
  /** Where `tcp.connect` may go (default: anywhere). */
  connect?: AddressPolicy;
  /** Where `tcp.listen` may bind (default: anywhere). */
  listen?: AddressPolicy;
  /** Let requests ask for `insecureSkipVerify` (development only; default false). */
  allowInsecureSkipVerify?: boolean;
  /** Where log lines go; silent by default. */
  logger?: Logger;
}

/** Options with every default filled in. */
export type ResolvedTcpHandlerOptions = Required<Omit<TcpHandlerOptions, 'idleTimeoutMs' | 'connect' | 'listen' | 'logger'>> &
  Pick<TcpHandlerOptions, 'idleTimeoutMs' | 'connect' | 'listen'> & { logger: Logger };

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Fills in the defaults and checks the numbers make sense. */
export function resolveOptions(options: TcpHandlerOptions = {}): ResolvedTcpHandlerOptions {
  const resolved: ResolvedTcpHandlerOptions = {
    maxConnections: options.maxConnections ?? 1024,
    maxConnectionsPerOwner: options.maxConnectionsPerOwner ?? 256,
    maxListeners: options.maxListeners ?? 64,
    maxListenersPerOwner: options.maxListenersPerOwner ?? 16,
    maxAcceptQueue: options.maxAcceptQueue ?? 128,
    maxReceiveBytes: options.maxReceiveBytes ?? 1024 * 1024,
    maxPushBytes: options.maxPushBytes ?? 64 * 1024,
    maxSendBytes: options.maxSendBytes ?? 4 * 1024 * 1024,
    maxWriteBufferBytes: options.maxWriteBufferBytes ?? 8 * 1024 * 1024,
    idleTimeoutMs: options.idleTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    callbackTimeoutMs: options.callbackTimeoutMs ?? 30_000,
    closeGraceMs: options.closeGraceMs ?? 5_000,
    connect: options.connect,
    listen: options.listen,
    allowInsecureSkipVerify: options.allowInsecureSkipVerify ?? false,
    logger: options.logger ?? silent,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value === 'number' && (!Number.isInteger(value) || value < 1)) {
      throw new RangeError(`TcpHandler option ${name} must be a positive integer, got ${value}`);
    }
  }
  // A single send of the largest allowed size must always fit an empty write buffer.
  if (resolved.maxWriteBufferBytes < resolved.maxSendBytes) {
    throw new RangeError(
      `TcpHandler option maxWriteBufferBytes (${resolved.maxWriteBufferBytes}) must be at least maxSendBytes (${resolved.maxSendBytes})`,
    );
  }
  return resolved;
}
