import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { boundAddress, listenOn } from '../net/listen.js';
import { type TlsOptions, createServer as createTlsServer } from 'node:tls';
import { DEFAULT_MAX_FRAME_BYTES } from '../../protocol/frame-codec.js';
import { HubBase, type HubOptions } from '../net/hub-base.js';
import { TcpLink } from './tcp-link.js';

/** Options of a TCP (or TLS) hub. */
export interface TcpHubOptions extends HubOptions {
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`; use `0.0.0.0` for other machines. */
  host?: string;
  /** Serve TLS: key and certificate (and any other TLS server options). */
  tls?: TlsOptions;
  /** Largest frame accepted, in bytes; a larger one closes that connection. Default 16 MiB. */
  maxFrameBytes?: number;
}

/**
 * A TCP (or TLS) server that accepts many peers on one port, each speaking length-prefixed JSON
 * frames. Each peer authenticates, then becomes a channel (`on('channel')` or `attach(registry)`).
 */
export class TcpHub extends HubBase {
  private readonly tcpOptions: TcpHubOptions;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(options: TcpHubOptions) {
    super(options.tls === undefined ? 'tcp' : 'tls', options);
    this.tcpOptions = options;
  }

  /** Starts listening; resolves with the bound address (port 0 becomes the real port). */
  async listen(): Promise<AddressInfo> {
    const options = this.tcpOptions;
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    const onSocket = (socket: Socket): void => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      const scheme = options.tls === undefined ? 'tcp' : 'tls';
      this.accept(new TcpLink(socket, `${scheme} ${socket.remoteAddress}:${socket.remotePort}`, maxFrameBytes));
    };
    const server = options.tls === undefined ? createServer(onSocket) : createTlsServer(options.tls, onSocket);
    this.server = server;
    server.on('tlsClientError', (error: Error) => this.logger.warn(`tls hub: TLS client error: ${error.message}`));
    server.on('error', (error) => this.logger.error(`tcp hub: server error: ${error.message}`));
    await listenOn(server, options.port, options.host);
    return this.address();
  }

  /** The bound address. */
  address(): AddressInfo {
    return boundAddress(this.server, 'TcpHub');
  }

  /** Closes every peer's channel and stops listening. */
  async close(): Promise<void> {
    const server = this.server;
    const stopped = server?.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await this.closeAllLinks();
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }
}
