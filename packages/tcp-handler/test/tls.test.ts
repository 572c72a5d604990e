import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerTcpCallbacks, tcpErrorReason, type HandleConnectionRequest } from '../src/index.js';
import { makeCertificates, type TestCertificates } from './fixtures/certs.js';
import { harness, rejection, type Harness } from './fixtures/harness.js';
import { closed, rawClient, readBytes } from './fixtures/peers.js';
import { deferred, next, within } from './fixtures/wait.js';

const text = (data: string): string => Buffer.from(data, 'base64').toString();

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => certs.cleanup());

/** A Node TLS server on 127.0.0.1 that records accepted sockets and the SNI each asked for. */
async function nodeTlsServer(): Promise<{ port: number; next(): Promise<tls.TLSSocket>; close(): Promise<void> }> {
  const sockets: tls.TLSSocket[] = [];
  const all: net.Socket[] = [];
  const waiting: ((s: tls.TLSSocket) => void)[] = [];
  const server = tls.createServer({ cert: certs.server.cert, key: certs.server.key }, (socket) => {
    socket.on('error', () => {});
    const waiter = waiting.shift();
    if (waiter) waiter(socket);
    else sockets.push(socket);
  });
  server.on('tlsClientError', () => {});
  // Track raw sockets from the start: a client may finish its handshake before the server does.
  server.on('connection', (socket: net.Socket) => all.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    next: () => {
      const ready = sockets.shift();
      if (ready) return Promise.resolve(ready);
      return within(new Promise<tls.TLSSocket>((resolve) => waiting.push(resolve)), 5_000, 'a TLS connection');
    },
    close: () => {
      for (const socket of all) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Connects a Node TLS client to 127.0.0.1:port, trusting the test server certificate. */
function nodeTlsClient(port: number, extra: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
  return within(
    new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: certs.server.cert, servername: 'localhost', ...extra }, () =>
        resolve(socket),
      );
      socket.once('error', reject);
    }),
    5_000,
    'a TLS handshake',
  );
}

describe('TLS', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('a TLS listener serves a Node TLS client; handle-connection carries the TLS facts', async () => {
    const owner = h.as('owner');
    const announced = deferred<HandleConnectionRequest>();
    await registerTcpCallbacks(h.registry, 'owner.tls', {
      handleConnection: async (request) => {
        announced.resolve(request);
        await owner.activate({ connectionId: request.connectionId, mode: 'passive' });
      },
    });
    const { port } = await owner.listen({
      host: '127.0.0.1',
      port: 0,
      prefix: 'owner.tls',
      tls: { cert: certs.server.cert, key: certs.server.key },
    });
    const client = await nodeTlsClient(port);
    const { connectionId, tls: info } = await within(announced.promise, 5_000, 'handle-connection');
    expect(info).toMatchObject({ protocol: 'TLSv1.3', authorized: false });
    client.write('secret hello');
    expect(text((await owner.receive({ connectionId })).data)).toBe('secret hello');
    await owner.sendBytes(connectionId, 'secret reply');
    expect((await readBytes(client, 12)).toString()).toBe('secret reply');
    const address = await owner.peerAddress({ connectionId });
    expect(address).toMatchObject({ tls: true, remote: { address: '127.0.0.1', port: client.localPort }, local: { port } });
    client.destroy();
  });

  it('connects with TLS using the given CA, and sends SNI from the host name', async () => {
    const server = await nodeTlsServer();
    const alice = h.as('alice');
    const { connectionId, tls: info } = await alice.connect({ host: 'localhost', port: server.port, tls: { ca: certs.server.cert } });
    expect(info).toMatchObject({ authorized: true, peerCommonName: 'localhost' });
    const peer = await server.next();
    expect(peer.servername).toBe('localhost');
    peer.write('over tls');
    expect(text((await alice.receive({ connectionId })).data)).toBe('over tls');
    await server.close();
  });

  it('verifies an IP address against the certificate without sending it as SNI', async () => {
    const server = await nodeTlsServer();
    const { tls: info } = await h.as('alice').connect({ host: '127.0.0.1', port: server.port, tls: { ca: certs.server.cert } });
    expect(info?.authorized).toBe(true);
    expect((await server.next()).servername).toBe(false);
    await server.close();
  });

  it('refuses a server whose certificate is not trusted (system roots by default, or the given CA)', async () => {
    const server = await nodeTlsServer();
    const alice = h.as('alice');
    const withStranger = await rejection(alice.connect({ host: 'localhost', port: server.port, tls: { ca: certs.stranger.cert } }));
    expect(tcpErrorReason(withStranger)).toBe('tls_failed');
    const withSystemRoots = await rejection(alice.connect({ host: 'localhost', port: server.port, tls: {} }));
    expect(tcpErrorReason(withSystemRoots)).toBe('tls_failed');
    expect(withSystemRoots.message).toMatch(/self[- ]signed|certificate/i);
    expect(h.handler.stats().connections).toBe(0);
    await server.close();
  });

  it('skip-verify works only when the handler allows it, and says it did not verify', async () => {
    await h.dispose();
    h = await harness({ allowInsecureSkipVerify: true });
    const server = await nodeTlsServer();
    const { tls: info } = await h.as('dev').connect({ host: 'localhost', port: server.port, tls: { insecureSkipVerify: true } });
    expect(info?.authorized).toBe(false);
    await server.close();
  });

  it('STARTTLS as server: a Node client upgrades mid-conversation, with its ClientHello pipelined', async () => {
    const owner = h.as('owner');
    const { listenerId, port } = await owner.listen({ host: '127.0.0.1', port: 0 });
    const raw = await rawClient(port);
    const { connectionId } = await owner.accept({ listenerId });
    await owner.activate({ connectionId });
    // The client does not wait for an answer: its ClientHello follows STARTTLS at once, so part of the
    // handshake may already sit in the handler's buffer when the upgrade starts.
    raw.write('STARTTLS\n');
    const secureClient = tls.connect({ socket: raw, ca: certs.server.cert, servername: 'localhost' });
    secureClient.on('error', () => {});
    const clientSecure = next(secureClient, 'secureConnect');
    const command = await owner.receive({ connectionId, maxBytes: 9 });
    expect(text(command.data)).toBe('STARTTLS\n');
    const upgraded = await owner.upgradeToTlsServer({ connectionId, cert: certs.server.cert, key: certs.server.key });
    expect(upgraded.tls.protocol).toMatch(/^TLSv1\.[23]$/);
    await clientSecure;
    expect(secureClient.authorized).toBe(true);
    secureClient.write('encrypted ping');
    expect(text((await owner.receive({ connectionId })).data)).toBe('encrypted ping');
    await owner.sendBytes(connectionId, 'encrypted pong');
    expect((await readBytes(secureClient, 14)).toString()).toBe('encrypted pong');
    expect(h.handler.inspect(connectionId)?.tls).toBe(true);
    secureClient.destroy();
  });

  it('STARTTLS as client: upgrades a plain connection against a Node server, SNI from the host', async () => {
    const serverSide = deferred<tls.TLSSocket>();
    const plain = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.write('220 ready\n');
      socket.once('data', (line) => {
        expect(line.toString()).toBe('STARTTLS\n');
        socket.write('220 go ahead\n', () => {
          const secure = new tls.TLSSocket(socket, { isServer: true, cert: certs.server.cert, key: certs.server.key });
          secure.on('error', () => {});
          secure.once('secure', () => serverSide.resolve(secure));
        });
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as net.AddressInfo).port;
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: 'localhost', port });
    expect(text((await alice.receive({ connectionId })).data)).toBe('220 ready\n');
    await alice.sendBytes(connectionId, 'STARTTLS\n');
    expect(text((await alice.receive({ connectionId })).data)).toBe('220 go ahead\n');
    const upgraded = await alice.upgradeToTlsClient({ connectionId, ca: certs.server.cert });
    expect(upgraded.tls).toMatchObject({ authorized: true, peerCommonName: 'localhost' });
    const secure = await within(serverSide.promise, 5_000, 'the server side handshake');
    expect(secure.servername).toBe('localhost');
    secure.write('inside tls');
    expect(text((await alice.receive({ connectionId })).data)).toBe('inside tls');
    await alice.sendBytes(connectionId, 'back');
    expect((await readBytes(secure, 4)).toString()).toBe('back');
    secure.destroy();
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });

  it('a failed STARTTLS closes the connection with tls_failed', async () => {
    const plain = net.createServer((socket) => {
      socket.on('error', () => {});
      const secure = new tls.TLSSocket(socket, { isServer: true, cert: certs.stranger.cert, key: certs.stranger.key });
      secure.on('error', () => {});
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: 'localhost', port: (plain.address() as net.AddressInfo).port });
    const error = await rejection(alice.upgradeToTlsClient({ connectionId, ca: certs.server.cert }));
    expect(tcpErrorReason(error)).toBe('tls_failed');
    expect(error.message).toContain(connectionId);
    expect(tcpErrorReason(await rejection(alice.sendBytes(connectionId, 'x')))).toBe('closed');
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });

  it('closing a TLS connection sends close_notify before FIN', async () => {
    const owner = h.as('owner');
    const { listenerId, port } = await owner.listen({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: certs.server.cert, key: certs.server.key },
    });
    // A recording proxy between the handler and a Node TLS client: it keeps every byte the handler sends.
    const fromHandler: Buffer[] = [];
    const handlerFinished = deferred();
    const proxied: net.Socket[] = [];
    const proxy = net.createServer((downstream) => {
      downstream.on('error', () => {});
      const upstream = net.connect({ host: '127.0.0.1', port });
      proxied.push(downstream, upstream);
      upstream.on('error', () => {});
      upstream.on('data', (chunk: Buffer) => {
        fromHandler.push(chunk);
        downstream.write(chunk);
      });
      upstream.on('end', () => {
        handlerFinished.resolve();
        downstream.end();
      });
      downstream.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    // TLS 1.2 keeps record types in the clear, so the alert record can be seen on the wire.
    const client = await nodeTlsClient((proxy.address() as net.AddressInfo).port, { maxVersion: 'TLSv1.2' });
    client.on('error', () => {});
    const { connectionId } = await owner.accept({ listenerId });
    await owner.activate({ connectionId });
    await owner.close({ connectionId });
    await within(handlerFinished.promise, 5_000, 'the FIN from the handler');
    const records = tlsRecordTypes(Buffer.concat(fromHandler));
    // 21 = alert: the last record before the FIN is the (encrypted) close_notify alert.
    expect(records.at(-1)).toBe(21);
    await closed(client);
    for (const socket of proxied) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
});

/** The content types of the TLS records in a byte stream. */
function tlsRecordTypes(stream: Buffer): number[] {
  const types: number[] = [];
  let offset = 0;
  while (offset + 5 <= stream.length) {
    types.push(stream[offset] as number);
    offset += 5 + stream.readUInt16BE(offset + 3);
  }
  return types;
}
