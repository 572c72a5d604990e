import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tcpErrorReason } from '../src/index.js';
import { makeCertificates, type TestCertificates } from './fixtures/certs.js';
import { harness, rejection, type Harness } from './fixtures/harness.js';
import { closed, rawClient } from './fixtures/peers.js';
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
