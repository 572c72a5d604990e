import { type Socket, connect } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { DEFAULT_MAX_FRAME_BYTES } from '../../protocol/frame-codec.js';
import type { Link } from '../link/link.js';
import { TransportError } from '../link/transport-error.js';
import { ClientBase, type ClientOptions } from '../net/client-base.js';
import { TcpLink } from './tcp-link.js';

/** Options of a TCP (or TLS) client. */
export interface TcpClientOptions extends ClientOptions {
  host: string;
  port: number;
  /** Connect with TLS; e.g. `{ ca }` to trust a private CA, `servername` for SNI. */
  tls?: Omit<ConnectionOptions, 'host' | 'port' | 'socket'>;
  /** Largest frame accepted, in bytes. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Time allowed to open the connection (and finish TLS), in ms. Default 10000. */
  connectTimeoutMs?: number;
}

/**
 * A TCP (or TLS) client channel source: connects to a `TcpHub`, authenticates, and reconnects with
 * capped exponential backoff when the link drops (see `ClientBase` for the reconnect design).
 */
export class TcpClient extends ClientBase {
  private readonly tcpOptions: TcpClientOptions;

  constructor(options: TcpClientOptions) {
    super(options.tls === undefined ? 'tcp' : 'tls', options);
    this.tcpOptions = options;
  }

  protected dial(signal: AbortSignal): Promise<Link> {
    const { host, port, tls } = this.tcpOptions;
    const maxFrameBytes = this.tcpOptions.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    const target = `${tls === undefined ? 'tcp' : 'tls'} ${host}:${port}`;
    return new Promise<Link>((resolve, reject) => {
      const socket: Socket =
        tls === undefined ? connect({ host, port }) : connectTls({ ...tls, host, port, ...(tls.servername === undefined && !isIp(host) ? { servername: host } : {}) });
      const timer = setTimeout(() => onError(new Error(`no connection within ${this.tcpOptions.connectTimeoutMs ?? 10_000} ms`)), this.tcpOptions.connectTimeoutMs ?? 10_000);
      const onAbort = (): void => onError(new Error('the client was closed'));
      const cleanUp = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.off('error', onError);
      };
      function onError(error: Error): void {
        cleanUp();
        socket.destroy();
        reject(new TransportError('connect_failed', `could not connect to ${target}: ${error.message}`, { cause: error }));
      }
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('error', onError);
      socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
        cleanUp();
        // Built in the connect callback itself, so no byte can arrive before the link listens.
        resolve(new TcpLink(socket, `${target}`, maxFrameBytes));
      });
    });
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
