import { afterEach, describe, expect, it } from 'vitest';
import { registerTcpCallbacks, tcpErrorReason } from '../src/index.js';
import { harness, rejection, type Harness } from './fixtures/harness.js';
import { closed, rawClient, rawServer, type RawServer } from './fixtures/peers.js';
import { deferred, within } from './fixtures/wait.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** Asserts a refusal: its wire code, its stable reason, and that the message names `mentions`. */
async function refused(call: Promise<unknown>, code: string, reason: string, ...mentions: string[]): Promise<void> {
  const error = await rejection(call);
  expect(error.code, error.message).toBe(code);
  expect(tcpErrorReason(error), error.message).toBe(reason);
  for (const text of mentions) expect(error.message).toContain(text);
}

describe('tcp.* refusals', () => {
  let h: Harness | undefined;
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    await h?.dispose();
    h = undefined;
    server = undefined;
  });

  it('refuses every call on a connection from a caller that does not own it', async () => {
    h = await harness();
    server = await rawServer();
    const alice = h.as('alice');
    const mallory = h.as('mallory');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const calls: Promise<unknown>[] = [
      mallory.send({ connectionId, data: b64('x') }),
      mallory.receive({ connectionId }),
      mallory.close({ connectionId }),
      mallory.peerAddress({ connectionId }),
      mallory.setActive({ connectionId, mode: 'passive' }),
      mallory.activate({ connectionId }),
      mallory.transfer({ connectionId, to: 'mallory', prefix: 'mallory.x' }),
      mallory.upgradeToTlsClient({ connectionId }),
      mallory.upgradeToTlsServer({ connectionId, cert: 'x', key: 'y' }),
    ];
    for (const call of calls) await refused(call, 'invalid_request', 'not_owner', connectionId, 'mallory');
    // The owner's connection is untouched.
    expect((await alice.peerAddress({ connectionId })).state).toBe('open');
  });

  it('refuses listener calls from a caller that does not own the listener', async () => {
    h = await harness();
    const { listenerId } = await h.as('alice').listen({ host: '127.0.0.1', port: 0 });
    await refused(h.as('mallory').accept({ listenerId, timeoutMs: 0 }), 'invalid_request', 'not_owner', listenerId);
    await refused(h.as('mallory').closeListener({ listenerId }), 'invalid_request', 'not_owner', listenerId);
    expect(h.handler.stats().listeners).toBe(1);
  });

  it('refuses data calls on a pending connection', async () => {
    h = await harness();
    const bob = h.as('bob');
    const { listenerId, port } = await bob.listen({ host: '127.0.0.1', port: 0 });
    const client = await rawClient(port);
    const { connectionId } = await bob.accept({ listenerId });
    client.write('early bytes');
    await refused(bob.send({ connectionId, data: b64('x') }), 'invalid_request', 'pending', connectionId, 'tcp.send');
    await refused(bob.receive({ connectionId }), 'invalid_request', 'pending', connectionId, 'tcp.receive');
    await refused(bob.setActive({ connectionId, mode: 'passive' }), 'invalid_request', 'pending', connectionId);
    await refused(bob.upgradeToTlsServer({ connectionId, cert: 'c', key: 'k' }), 'invalid_request', 'pending', connectionId);
    // No byte was read while pending; after activation the early bytes are all there.
    expect(h.handler.inspect(connectionId)).toMatchObject({ state: 'pending', bytesIn: 0 });
    await bob.activate({ connectionId });
    await refused(bob.activate({ connectionId }), 'invalid_request', 'not_pending', connectionId);
    expect(Buffer.from((await bob.receive({ connectionId })).data, 'base64').toString()).toBe('early bytes');
    client.destroy();
  });

  it('refuses calls on a closed connection and on an unknown id', async () => {
    h = await harness();
    server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    await alice.close({ connectionId });
    await refused(alice.send({ connectionId, data: b64('x') }), 'invalid_request', 'closed', connectionId, 'closed_by_owner');
    await refused(alice.receive({ connectionId }), 'invalid_request', 'closed', connectionId);
    await refused(alice.close({ connectionId }), 'invalid_request', 'closed', connectionId);
    await refused(alice.send({ connectionId: 'conn-nope', data: b64('x') }), 'not_found', 'unknown_id', 'conn-nope');
    await refused(alice.accept({ listenerId: 'lsn-nope' }), 'not_found', 'unknown_id', 'lsn-nope');
  });

  it('refuses a connection closed by its peer with the reason', async () => {
    h = await harness();
    server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const peer = await server.nextSocket();
    peer.end();
    expect((await alice.receive({ connectionId })).closed).toBe(true);
    await refused(alice.send({ connectionId, data: b64('x') }), 'invalid_request', 'closed', 'peer_closed');
  });

  it('refuses calls that need another mode', async () => {
    h = await harness();
    server = await rawServer();
    const alice = h.as('alice');
    await registerTcpCallbacks(h.registry, 'alice.c', { onData: () => {} });
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port, prefix: 'alice.c' });
    await refused(alice.receive({ connectionId }), 'invalid_request', 'wrong_mode', connectionId, 'active', 'passive');
    await refused(alice.upgradeToTlsClient({ connectionId }), 'invalid_request', 'wrong_mode', connectionId, 'active');
    const { listenerId } = await alice.listen({ host: '127.0.0.1', port: 0, prefix: 'alice.c' });
    await refused(alice.accept({ listenerId }), 'invalid_request', 'wrong_mode', listenerId);
    // Pushing modes need a prefix to push to.
    const plain = await alice.connect({ host: '127.0.0.1', port: server.port });
    await refused(alice.setActive({ connectionId: plain.connectionId, mode: 'active' }), 'invalid_request', 'no_prefix', plain.connectionId);
    await refused(alice.connect({ host: '127.0.0.1', port: server.port, mode: 'once' }), 'invalid_request', 'no_prefix');
  });

  it('refuses a second receive while one is waiting', async () => {
    h = await harness();
    server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const first = alice.receive({ connectionId, timeoutMs: 5_000 });
    await refused(alice.receive({ connectionId }), 'invalid_request', 'busy', connectionId);
    (await server.nextSocket()).write('x');
    expect((await first).data).toBe(b64('x'));
  });

  it('refuses bad addresses', async () => {
    h = await harness({
      connect: { hosts: ['127.0.0.1'], ports: [1024, 65535] },
      listen: { hosts: ['127.0.0.1'] },
    });
    const alice = h.as('alice');
    await refused(alice.connect({ host: '10.1.2.3', port: 8080 }), 'invalid_request', 'bad_address', '10.1.2.3:8080', 'allowed hosts');
    await refused(alice.connect({ host: '127.0.0.1', port: 22 }), 'invalid_request', 'bad_address', 'port 22');
    await refused(alice.connect({ host: '127.0.0.1/8', port: 8080 }), 'invalid_request', 'bad_address');
    await refused(alice.listen({ host: '0.0.0.0', port: 0 }), 'invalid_request', 'bad_address', '0.0.0.0');
    // Schema refusals: a port out of range never reaches the handler.
    const schemaError = await rejection(alice.connect({ host: '127.0.0.1', port: 70_000 }));
    expect(schemaError.code).toBe('invalid_request');
    // A port already in use.
    const taken = await alice.listen({ host: '127.0.0.1', port: 0 });
    await refused(alice.listen({ host: '127.0.0.1', port: taken.port }), 'invalid_request', 'bad_address', 'EADDRINUSE');
  });

  it('reports a refused connect as connect_failed', async () => {
    h = await harness();
    const alice = h.as('alice');
    const spare = await alice.listen({ host: '127.0.0.1', port: 0 });
    await alice.closeListener({ listenerId: spare.listenerId });
    await refused(alice.connect({ host: '127.0.0.1', port: spare.port }), 'internal_error', 'connect_failed', 'ECONNREFUSED');
    expect(h.handler.stats().connections).toBe(0);
  });

  it('refuses past the per-owner and per-handler connection limits, and keeps serving others', async () => {
    h = await harness({ maxConnectionsPerOwner: 2, maxConnections: 3 });
    server = await rawServer();
    const alice = h.as('alice');
    const bob = h.as('bob');
    const target = { host: '127.0.0.1', port: server.port };
    await alice.connect(target);
    await alice.connect(target);
    await refused(alice.connect(target), 'invalid_request', 'limit_reached', 'alice', 'maxConnectionsPerOwner');
    const bobs = await bob.connect(target);
    await refused(bob.connect(target), 'invalid_request', 'limit_reached', 'maxConnections');
    // Still serving: bob's connection works.
    await bob.sendBytes(bobs.connectionId, 'fine');
    await bob.close({ connectionId: bobs.connectionId });
    await bob.connect(target);
  });

  it('drops inbound connections past the limit and keeps the listener serving', async () => {
    h = await harness({ maxConnectionsPerOwner: 1 });
    const bob = h.as('bob');
    const { listenerId, port } = await bob.listen({ host: '127.0.0.1', port: 0, manualAccept: true });
    const first = await rawClient(port);
    const accepted = await bob.accept({ listenerId });
    const second = await rawClient(port);
    await closed(second);
    await bob.close({ connectionId: accepted.connectionId });
    await closed(first);
    const third = await rawClient(port);
    expect((await bob.accept({ listenerId })).remote.port).toBe(third.localPort);
    third.destroy();
  });

  it('refuses past the listener limits', async () => {
    h = await harness({ maxListenersPerOwner: 1, maxListeners: 2 });
    await h.as('alice').listen({ host: '127.0.0.1', port: 0 });
    await refused(h.as('alice').listen({ host: '127.0.0.1', port: 0 }), 'invalid_request', 'limit_reached', 'maxListenersPerOwner');
    await h.as('bob').listen({ host: '127.0.0.1', port: 0 });
    await refused(h.as('carol').listen({ host: '127.0.0.1', port: 0 }), 'invalid_request', 'limit_reached', 'maxListeners');
  });

  it('refuses receives and sends above the byte limits', async () => {
    h = await harness({ maxReceiveBytes: 1024, maxSendBytes: 2048 });
    server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    await refused(alice.receive({ connectionId, maxBytes: 4096 }), 'invalid_request', 'limit_reached', '4096', 'maxReceiveBytes');
    await refused(alice.sendBytes(connectionId, Buffer.alloc(4096)), 'invalid_request', 'limit_reached', '4096', 'maxSendBytes');
    expect(await alice.sendBytes(connectionId, Buffer.alloc(2048))).toEqual({ bytes: 2048 });
  });

  it('splits pushes at maxPushBytes', async () => {
    h = await harness({ maxPushBytes: 1000 });
    server = await rawServer();
    const sizes: number[] = [];
    const all = deferred();
    await registerTcpCallbacks(h.registry, 'alice.c', {
      onData: (_id, data) => {
        sizes.push(data.length);
        if (sizes.reduce((a, b) => a + b, 0) === 5000) all.resolve();
      },
    });
    await h.as('alice').connect({ host: '127.0.0.1', port: server.port, prefix: 'alice.c' });
    (await server.nextSocket()).write(Buffer.alloc(5000, 7));
    await within(all.promise, 5_000, '5000 pushed bytes');
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
  });

  it('closes an idle connection after the idle timeout and tells the owner', async () => {
    h = await harness({ idleTimeoutMs: 200 });
    server = await rawServer();
    const reason = deferred<string>();
    await registerTcpCallbacks(h.registry, 'alice.c', { onData: () => {}, onClose: (r) => reason.resolve(r.reason) });
    const { connectionId } = await h.as('alice').connect({ host: '127.0.0.1', port: server.port, prefix: 'alice.c' });
    const peer = await server.nextSocket();
    expect(await within(reason.promise, 5_000, 'idle close')).toBe('idle_timeout');
    await closed(peer);
    await refused(h.as('alice').send({ connectionId, data: b64('x') }), 'invalid_request', 'closed', 'idle_timeout');
  });

  it('refuses skip-verify unless the handler allows it', async () => {
    h = await harness();
    server = await rawServer();
    await refused(
      h.as('alice').connect({ host: '127.0.0.1', port: server.port, tls: { insecureSkipVerify: true } }),
      'invalid_request',
      'insecure_refused',
    );
    const { connectionId } = await h.as('alice').connect({ host: '127.0.0.1', port: server.port });
    await refused(h.as('alice').upgradeToTlsClient({ connectionId, insecureSkipVerify: true }), 'invalid_request', 'insecure_refused', connectionId);
  });

  it('times out a receive and an accept', async () => {
    h = await harness();
    server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    await refused(alice.receive({ connectionId, timeoutMs: 50 }), 'timeout', 'timeout', connectionId);
    const { listenerId } = await alice.listen({ host: '127.0.0.1', port: 0 });
    await refused(alice.accept({ listenerId, timeoutMs: 50 }), 'timeout', 'timeout', listenerId);
    // The connection still works after a timed-out receive.
    (await server.nextSocket()).write('late');
    expect((await alice.receive({ connectionId })).data).toBe(b64('late'));
  });
});
