import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tcpErrorReason } from '../src/index.js';
import { makeCertificates, type TestCertificates } from './fixtures/certs.js';
import { harness, rejection, type Harness } from './fixtures/harness.js';
import { closed, rawClient, rawServer, type RawServer } from './fixtures/peers.js';
import { within } from './fixtures/wait.js';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => certs.cleanup());

describe('limits under concurrent calls', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('concurrent listens cannot exceed the per-owner and per-handler listener limits', async () => {
    h = await harness({ maxListenersPerOwner: 1, maxListeners: 2 });
    const alice = h.as('alice');
    const mine = await Promise.allSettled([0, 1, 2].map(() => alice.listen({ host: '127.0.0.1', port: 0 })));
    expect(mine.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of mine) if (r.status === 'rejected') expect(tcpErrorReason(r.reason)).toBe('limit_reached');
    const others = await Promise.allSettled(['bob', 'carol', 'dave'].map((who) => h!.as(who).listen({ host: '127.0.0.1', port: 0 })));
    expect(others.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(h.handler.stats().listeners).toBe(2);
  });

  it('a TLS manual-accept listener never queues more than maxAcceptQueue, handshakes under way included', async () => {
    h = await harness({ maxAcceptQueue: 1 });
    const bob = h.as('bob');
    const { listenerId, port } = await bob.listen({
      host: '127.0.0.1',
      port: 0,
      manualAccept: true,
      tls: { cert: certs.server.cert, key: certs.server.key },
    });
    // The first client connects but has not started its handshake: it holds the only queue slot.
    const slow = await rawClient(port);
    const refused = tls.connect({ host: '127.0.0.1', port, ca: certs.server.cert, servername: 'localhost' });
    refused.on('error', () => {});
    await closed(refused);
    expect(refused.authorized).toBe(false);
    const secure = tls.connect({ socket: slow, ca: certs.server.cert, servername: 'localhost' });
    secure.on('error', () => {});
    await within(new Promise((resolve) => secure.once('secureConnect', resolve)), 5_000, 'the first handshake');
    const accepted = await bob.accept({ listenerId });
    expect(accepted.remote.port).toBe(slow.localPort);
    expect(tcpErrorReason(await rejection(bob.accept({ listenerId, timeoutMs: 0 })))).toBe('timeout');
    secure.destroy();
  });
});

describe('write buffering', () => {
  let h: Harness | undefined;
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    await h?.dispose();
    h = undefined;
    server = undefined;
  });

  it('refuses sends past maxWriteBufferBytes to a peer that does not read, and delivers what it took', async () => {
    h = await harness({ maxSendBytes: 1024 * 1024, maxWriteBufferBytes: 4 * 1024 * 1024 });
    server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const peer = await server.nextSocket();
    peer.pause();
    const chunk = Buffer.alloc(1024 * 1024, 1);
    // 64 MiB in flight at once: far more than the kernel's socket buffers absorb.
    const sends = Array.from({ length: 64 }, () => alice.sendBytes(connectionId, chunk));
    const refusal = await within(
      Promise.any(sends.map((send) => send.then(() => Promise.reject(new Error('taken')), (error: unknown) => error))),
      10_000,
      'a refused send',
    );
    expect(tcpErrorReason(refusal)).toBe('limit_reached');
    expect((refusal as Error).message).toContain(connectionId);
    expect((refusal as Error).message).toContain('maxWriteBufferBytes');
    // Now the peer reads: every send the handler took completes, and its bytes all arrive.
    let received = 0;
    peer.on('data', (data: Buffer) => {
      received += data.length;
    });
    const ended = within(new Promise((resolve) => peer.once('end', resolve)), 20_000, 'the peer to see the end');
    peer.resume();
    const outcomes = await within(Promise.allSettled(sends), 20_000, 'every send to settle');
    const taken = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(64);
    await alice.close({ connectionId });
    await ended;
    expect(received).toBe(taken * chunk.length);
  });
});
