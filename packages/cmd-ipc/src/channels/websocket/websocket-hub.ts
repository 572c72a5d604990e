import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { boundAddress, listenOn } from '../net/listen.js';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { HubBase, type HubOptions } from '../net/hub-base.js';
import { DEFAULT_MAX_PAYLOAD, WebSocketLink } from './websocket-link.js';

/** Options of a WebSocket hub. */
export interface WebSocketHubOptions extends HubOptions {
  /** Port to listen on; 0 picks a free one. Ignored with `server`. Default 0. */
  port?: number;
  /** Interface to listen on. Ignored with `server`. Default `127.0.0.1`; use `0.0.0.0` for other machines. */
  host?: string;
  /** Serve wss: key and certificate (and any other TLS server options). Ignored with `server`. */
  tls?: TlsOptions & SecureContextOptions;
  /** Share an existing HTTP(S) server (e.g. one that also serves a page); the hub does not close it. */
  server?: HttpServer | HttpsServer;
  /** Only accept upgrades on this path. Default: any path. */
  path?: string;
  /** Largest message accepted, in bytes (ws `maxPayload`). Default 16 MiB. */
  maxPayload?: number;
}

/**
 * A WebSocket server that accepts many peers on one port. Each peer authenticates, then becomes a
 * channel, handed out through `on('channel')` or registered directly with `attach(registry)`.
 */
export class WebSocketHub extends HubBase {
  private readonly wsOptions: WebSocketHubOptions;
  private httpServer: HttpServer | HttpsServer | undefined;
  private wss: WebSocketServer | undefined;

  constructor(options: WebSocketHubOptions) {
    super('ws', options);
    this.wsOptions = options;
  }

  /** Starts listening; resolves with the bound address (port 0 becomes the real port). */
  async listen(): Promise<AddressInfo> {
    const options = this.wsOptions;
    const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    const server = options.server ?? (options.tls === undefined ? createHttpServer() : createHttpsServer(options.tls));
    this.httpServer = server;
    const wss = new WebSocketServer({ server, maxPayload, ...(options.path === undefined ? {} : { path: options.path }) });
    this.wss = wss;
    wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      // The socket itself says whether it is TLS, whether this hub made the server or was given one.
      const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
      const peer = `${encrypted ? 'wss' : 'ws'} ${request.socket.remoteAddress}:${request.socket.remotePort}`;
      this.accept(new WebSocketLink(socket, peer, maxPayload));
    });
    wss.on('error', (error) => this.logger.error(`ws hub: server error: ${error.message}`));
    // A bad upgrade request or a TLS failure affects that one socket only.
    server.on('clientError', (error, socket) => {
      this.logger.warn(`ws hub: client error: ${error.message}`);
      socket.destroy();
    });
    server.on('tlsClientError', (error: Error) => this.logger.warn(`ws hub: TLS client error: ${error.message}`));
    if (options.server === undefined) {
      await listenOn(server, options.port, options.host);
    }
    return this.address();
  }

  /** The bound address. */
  address(): AddressInfo {
    return boundAddress(this.httpServer, 'WebSocketHub');
  }

  /** Closes every peer's channel and stops listening (a shared `server` is left open). */
  async close(): Promise<void> {
    await this.closeAllLinks();
    await new Promise<void>((resolve) => (this.wss === undefined ? resolve() : this.wss.close(() => resolve())));
    const server = this.httpServer;
    if (server !== undefined && this.wsOptions.server === undefined && server.listening) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
