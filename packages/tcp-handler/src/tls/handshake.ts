import net from 'node:net';
import tls from 'node:tls';
import type { TlsClientOptions, TlsInfo, TlsServerOptions } from '../schemas/common.js';

/** A finished handshake: the TLS socket and what it settled on. */
export interface Handshake {
  socket: tls.TLSSocket;
  info: TlsInfo;
}

/** Runs a server-side TLS handshake on an existing socket (a TLS listener's accept, or STARTTLS). */
export function serverHandshake(raw: net.Socket, options: TlsServerOptions, timeoutMs: number): Promise<Handshake> {
  const secureContext = tls.createSecureContext({ cert: options.cert, key: options.key, ca: options.ca });
  const requestCert = options.requestCert === true;
  const socket = new tls.TLSSocket(raw, {
    isServer: true,
    secureContext,
    requestCert,
    rejectUnauthorized: requestCert,
  });
  // A server-side TLSSocket announces the finished handshake with 'secure'.
  return settle(socket, 'secure', timeoutMs, () => ({ socket, info: infoOf(socket) }));
}

/**
 * Runs a client-side TLS handshake on an existing socket. SNI and the name check use `servername`,
 * else the host the connection was made to (SNI is left out for an IP address, as RFC 6066 says).
 */
export function clientHandshake(
  raw: net.Socket,
  host: string,
  options: TlsClientOptions,
  timeoutMs: number,
): Promise<Handshake> {
  const name = options.servername ?? host;
  const socket = tls.connect({
    socket: raw,
    host: name,
    servername: net.isIP(name) === 0 ? name : undefined,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: options.insecureSkipVerify !== true,
  });
  return settle(socket, 'secureConnect', timeoutMs, () => ({ socket, info: infoOf(socket) }));
}

function settle(socket: tls.TLSSocket, doneEvent: string, timeoutMs: number, done: () => Handshake): Promise<Handshake> {
  return new Promise<Handshake>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no handshake within ${timeoutMs} ms`)), timeoutMs);
    const onDone = (): void => {
      cleanup();
      resolve(done());
    };
    const fail = (error: Error): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onClose = (): void => fail(new Error('the peer closed the connection during the handshake'));
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.removeListener(doneEvent, onDone);
      socket.removeListener('error', fail);
      socket.removeListener('close', onClose);
      // Swallow errors after the handshake until the connection attaches its own listener.
      socket.on('error', () => {});
    };
    socket.once(doneEvent, onDone);
    socket.once('error', fail);
    socket.once('close', onClose);
  });
}

function infoOf(socket: tls.TLSSocket): TlsInfo {
  const peer = socket.getPeerCertificate();
  const cn = peer?.subject?.CN;
  const info: TlsInfo = {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    authorized: socket.authorized,
  };
  if (typeof cn === 'string') info.peerCommonName = cn;
  return info;
}
