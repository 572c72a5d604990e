import type { ConnectionOptions } from 'node:tls';
import WebSocket from 'ws';
import type { Link } from '../link/link.js';
import { TransportError } from '../link/transport-error.js';
import { ClientBase, type ClientOptions } from '../net/client-base.js';
import { DEFAULT_MAX_PAYLOAD, WebSocketLink } from './websocket-link.js';

/** Options of a WebSocket client. */
export interface WebSocketClientOptions extends ClientOptions {
  /** The hub's URL, `ws://host:port/path` or `wss://…`. */
  url: string;
  /** TLS options for wss (e.g. `ca` to trust a private CA, `servername`). */
  tls?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'servername' | 'rejectUnauthorized'>;
  /** Largest message accepted, in bytes (ws `maxPayload`). Default 16 MiB. */
  maxPayload?: number;
  /** Time allowed to open the connection (TCP, TLS and the HTTP upgrade), in ms. Default 10000. */
  connectTimeoutMs?: number;
}

/**
 * A WebSocket client channel source: connects to a `WebSocketHub`, authenticates, and reconnects
 * with capped exponential backoff when the link drops (see `ClientBase` for the reconnect design).
 */
export class WebSocketClient extends ClientBase {
  private readonly wsOptions: WebSocketClientOptions;

  constructor(options: WebSocketClientOptions) {
    super('ws', options);
    this.wsOptions = options;
  }

  protected dial(signal: AbortSignal): Promise<Link> {
    const { url, tls, connectTimeoutMs } = this.wsOptions;
    const maxPayload = this.wsOptions.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    return new Promise<Link>((resolve, reject) => {
      const socket = new WebSocket(url, { maxPayload, handshakeTimeout: connectTimeoutMs ?? 10_000, perMessageDeflate: false, ...tls });
      const onAbort = (): void => socket.terminate();
      const cleanUp = (): void => {
        signal.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.off('close', onClose);
      };
      const onError = (error: Error): void => {
        cleanUp();
        reject(new TransportError('connect_failed', `could not connect to ${url}: ${error.message}`, { cause: error }));
      };
      const onClose = (code: number): void => onError(new Error(`closed with code ${code} before opening`));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('error', onError);
      socket.on('close', onClose);
      socket.once('open', () => {
        cleanUp();
        // Built in the 'open' callback itself, so no message can arrive before the link listens.
        resolve(new WebSocketLink(socket, `ws hub ${url}`, maxPayload));
      });
    });
  }
}
