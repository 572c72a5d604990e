import net from 'node:net';
import tls from 'node:tls';
import { CommandRegistry, createChannelPair } from 'cmd-ipc';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerTcpCallbacks, tcpClient, tcpErrorReason } from '../src/index.js';
import { makeCertificates, type TestCertificates } from './fixtures/certs.js';
import { harness, rejection, type Harness } from './fixtures/harness.js';
import { closed, rawServer, type RawServer } from './fixtures/peers.js';
import { deferred, within } from './fixtures/wait.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => certs.cleanup());

/**
 * A Node TLS server whose handshakes stop at SNI until `proceed()` is called: it holds a
 * `tcp.connect` with TLS under way for as long as a test needs, with no sleeping.
 */
async function gatedTlsServer(): Promise<{
  port: number;
  sniReached: Promise<void>;
  proceed(): void;
  nextRaw(): Promise<net.Socket>;
  close(): Promise<void>;
}> {
  const reached = deferred();
  const gate = deferred();
  const raws: net.Socket[] = [];
  const server = tls.createServer({
    cert: certs.server.cert,
    key: certs.server.key,
    SNICallback: (_name, done) => {
      reached.resolve();
      void gate.promise.then(() => done(null, tls.createSecureContext({ cert: certs.server.cert, key: certs.server.key })));
    },
  });
  server.on('tlsClientError', () => {});
  server.on('secureConnection', (socket) => socket.on('error', () => {}));
  server.on('connection', (socket: net.Socket) => raws.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sniReached: within(reached.promise, 5_000, 'the handshake to reach SNI'),
    proceed: () => gate.resolve(),
    nextRaw: () => {
      const raw = raws[0];
      if (raw !== undefined) return Promise.resolve(raw);
      return within(new Promise<net.Socket>((resolve) => server.once('connection', resolve)), 5_000, 'a raw connection');
    },
    close: () => {
      gate.resolve();
      for (const socket of raws) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('owners that go away while a call is under way', () => {
  let h: Harness | undefined;
  let server: RawServer | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server?.close();
    await h?.dispose();
    h = undefined;
    server = undefined;
  });

  it('a connect that finishes after its owner left the hub leaves no orphan socket', async () => {
    const tlsServer = await gatedTlsServer();
    cleanups.push(() => tlsServer.close());
    const hub = new CommandRegistry({ id: 'hub' });
    cleanups.push(() => hub.dispose());
    h = await harness({}, 'tcp-node', 'hub');
    const [hubToTcp, tcpToHub] = createChannelPair('spoke-tcp', 'hub', { identities: { a: 'tcp-node' } });
    await hub.registerChannel(hubToTcp);
    await h.registry.registerChannel(tcpToHub);
    const spoke = new CommandRegistry({ id: 'spoke-a', routerChannel: 'hub' });
    cleanups.push(() => spoke.dispose());
    const [hubToSpoke, spokeToHub] = createChannelPair('spoke-spoke-a', 'hub', { identities: { a: 'spoke-a' } });
    await hub.registerChannel(hubToSpoke);
    await spoke.registerChannel(spokeToHub);

    const connecting = tcpClient(spoke).connect({
      host: '127.0.0.1',
      port: tlsServer.port,
      tls: { ca: certs.server.cert, servername: 'localhost' },
    });
    const outcome = connecting.catch((error: unknown) => error);
    await tlsServer.sniReached;
    const raw = await tlsServer.nextRaw();
    const heard = h.nextEvent('cmd-ipc.channel.closed', (info: { identity?: string }) => info.identity === 'spoke-a');
    await hub.closeChannel('spoke-spoke-a');
    await heard;
    // The owner is gone; now let the handshake finish.
    tlsServer.proceed();
    await closed(raw);
    await outcome;
    expect(h.handler.stats().connections).toBe(0);
  });

  it('a connect that finishes after releaseOwner is refused and its socket closed', async () => {
    const tlsServer = await gatedTlsServer();
    cleanups.push(() => tlsServer.close());
    h = await harness();
    const connecting = h.as('node/actor-1').connect({
      host: '127.0.0.1',
      port: tlsServer.port,
      tls: { ca: certs.server.cert, servername: 'localhost' },
    });
    await tlsServer.sniReached;
    const raw = await tlsServer.nextRaw();
    h.handler.releaseOwner('node/actor-1');
    tlsServer.proceed();
    const error = await rejection(connecting);
    expect(tcpErrorReason(error)).toBe('connect_failed');
    expect(error.message).toContain('went away');
    await closed(raw);
    expect(h.handler.stats().connections).toBe(0);
  });

  it('a refused transfer does not hand the connection back to an owner that left meanwhile', async () => {
    h = await harness();
    server = await rawServer();
    const started = deferred();
    const refuse = deferred();
    await registerTcpCallbacks(h.registry, 'bob.c', {
      handleConnectionTransfer: async () => {
        started.resolve();
        await refuse.promise;
        throw new Error('bob does not want it');
      },
      onData: () => {},
    });
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const peer = await server.nextSocket();
    const transfer = alice.transfer({ connectionId, to: 'bob', prefix: 'bob.c' });
    await within(started.promise, 5_000, 'the hand-off to start');
    h.handler.releaseOwner('alice');
    refuse.resolve();
    expect(tcpErrorReason(await rejection(transfer))).toBe('handoff_refused');
    await closed(peer);
    expect(h.handler.inspect(connectionId)).toBeUndefined();
    expect(h.handler.stats().connections).toBe(0);
  });
});
