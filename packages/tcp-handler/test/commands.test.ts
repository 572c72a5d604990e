import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerTcpCallbacks, type ConnectionClosedEvent, type ConnectionOpenedEvent } from '../src/index.js';
import { harness, type Harness } from './fixtures/harness.js';
import { closed, rawClient, rawServer, readBytes, type RawServer } from './fixtures/peers.js';
import { deferred, within } from './fixtures/wait.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const text = (data: string): string => Buffer.from(data, 'base64').toString();

describe('tcp.* success paths', () => {
  let h: Harness;
  let server: RawServer;
  beforeEach(async () => {
    h = await harness();
    server = await rawServer();
  });
  afterEach(async () => {
    await server.close();
    await h.dispose();
  });

  it('registers every command with its JSON Schema', () => {
    const ids = h.registry
      .listCommands()
      .filter((c) => c.id.startsWith('tcp.'))
      .map((c) => c.id)
      .sort();
    expect(ids).toEqual(
      [
        'tcp.accept', 'tcp.activate', 'tcp.close', 'tcp.close-listener', 'tcp.connect', 'tcp.listen',
        'tcp.peer-address', 'tcp.receive', 'tcp.release', 'tcp.send', 'tcp.set-active', 'tcp.transfer',
        'tcp.upgrade-to-tls-client', 'tcp.upgrade-to-tls-server',
      ].sort(),
    );
    const send = h.registry.listCommands().find((c) => c.id === 'tcp.send');
    expect(send?.schema?.request).toMatchObject({ type: 'object', required: ['connectionId', 'data'] });
  });

  it('connect, send, receive, peer-address and close (passive)', async () => {
    const alice = h.as('alice');
    const opened = h.nextEvent<ConnectionOpenedEvent>('tcp.connection.opened');
    const { connectionId, mode, remote } = await alice.connect({ host: '127.0.0.1', port: server.port });
    expect(mode).toBe('passive');
    expect(remote).toMatchObject({ address: '127.0.0.1', port: server.port });
    expect(await opened).toMatchObject({ connectionId, owner: 'alice', direction: 'outbound', tls: false });
    const peer = await server.nextSocket();

    expect(await alice.send({ connectionId, data: b64('hello') })).toEqual({ bytes: 5 });
    expect((await readBytes(peer, 5)).toString()).toBe('hello');

    peer.write('world');
    const got = await alice.receive({ connectionId });
    expect(text(got.data)).toBe('world');
    expect(got.closed).toBe(false);

    const address = await alice.peerAddress({ connectionId });
    expect(address).toMatchObject({ state: 'open', mode: 'passive', tls: false, remote: { port: server.port } });
    expect(address.local.address).toBe('127.0.0.1');

    const closedEvent = h.nextEvent<ConnectionClosedEvent>('tcp.connection.closed', (e) => e.connectionId === connectionId);
    expect(await alice.close({ connectionId })).toEqual({ connectionId, closed: true });
    await closed(peer);
    expect(await closedEvent).toMatchObject({ owner: 'alice', reason: 'closed_by_owner', bytesIn: 5, bytesOut: 5 });
    expect(JSON.stringify(await closedEvent)).not.toContain(b64('hello'));
  });

  it('receive returns empty with closed=true when the peer closes', async () => {
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const peer = await server.nextSocket();
    peer.end('last');
    expect(text((await alice.receive({ connectionId })).data)).toBe('last');
    expect(await alice.receive({ connectionId })).toEqual({ data: '', closed: true });
    expect(h.handler.stats().connections).toBe(0);
  });

  it('receive honours maxBytes and keeps the rest', async () => {
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const peer = await server.nextSocket();
    peer.write('abcdefgh');
    expect(text((await alice.receive({ connectionId, maxBytes: 3 })).data)).toBe('abc');
    expect(text((await alice.receive({ connectionId, maxBytes: 100 })).data)).toBe('defgh');
  });

  it('listen with manual accept, then accept, activate and echo', async () => {
    const bob = h.as('bob');
    const { listenerId, port, host } = await bob.listen({ host: '127.0.0.1', port: 0 });
    expect(host).toBe('127.0.0.1');
    const client = await rawClient(port);
    const accepted = await bob.accept({ listenerId });
    expect(accepted.remote.port).toBe(client.localPort);
    expect((await bob.peerAddress({ connectionId: accepted.connectionId })).state).toBe('pending');
    expect(h.handler.stats().pendingConnections).toBe(1);

    expect(await bob.activate({ connectionId: accepted.connectionId })).toEqual({
      connectionId: accepted.connectionId,
      mode: 'passive',
    });
    client.write('ping');
    const got = await bob.receiveBytes(accepted.connectionId);
    expect(got.data.toString()).toBe('ping');
    await bob.sendBytes(accepted.connectionId, 'pong');
    expect((await readBytes(client, 4)).toString()).toBe('pong');
    client.destroy();
  });

  it('accept waits for a connection that arrives later', async () => {
    const bob = h.as('bob');
    const { listenerId, port } = await bob.listen({ host: '127.0.0.1', port: 0, manualAccept: true });
    const acceptance = bob.accept({ listenerId, timeoutMs: 5_000 });
    const client = await rawClient(port);
    const accepted = await acceptance;
    expect(accepted.remote.port).toBe(client.localPort);
    client.destroy();
  });

  it('listen with callbacks: handle-connection, activate active, on-data pushes, on-close', async () => {
    const carol = h.as('carol');
    const closedWith = deferred<string>();
    await registerTcpCallbacks(h.registry, 'carol.echo', {
      handleConnection: async ({ connectionId }) => {
        await carol.activate({ connectionId, mode: 'active' });
      },
      onData: async (connectionId, data) => {
        await carol.sendBytes(connectionId, Buffer.from(data.toString().toUpperCase()));
      },
      onClose: ({ reason }) => closedWith.resolve(reason),
    });
    const { port } = await carol.listen({ host: '127.0.0.1', port: 0, prefix: 'carol.echo' });
    const client = await rawClient(port);
    client.write('shout');
    expect((await readBytes(client, 5)).toString()).toBe('SHOUT');
    client.end();
    expect(await within(closedWith.promise, 5_000, 'on-close')).toBe('peer_closed');
    await closed(client);
  });

  it('connect with a prefix starts active and pushes to on-data', async () => {
    const dave = h.as('dave');
    const chunks: string[] = [];
    const got = deferred();
    await registerTcpCallbacks(h.registry, 'dave.client', {
      onData: (_id, data) => {
        chunks.push(data.toString());
        if (chunks.join('') === 'pushed') got.resolve();
      },
    });
    const { mode } = await dave.connect({ host: '127.0.0.1', port: server.port, prefix: 'dave.client' });
    expect(mode).toBe('active');
    const peer = await server.nextSocket();
    peer.write('pushed');
    await within(got.promise, 5_000, 'on-data');
  });

  it('set-active switches active → passive and back', async () => {
    const erin = h.as('erin');
    const pushed: string[] = [];
    const firstPush = deferred();
    const secondPush = deferred();
    await registerTcpCallbacks(h.registry, 'erin.c', {
      onData: (_id, data) => {
        pushed.push(data.toString());
        if (pushed.length === 1) firstPush.resolve();
        if (pushed.length === 2) secondPush.resolve();
      },
    });
    const { connectionId } = await erin.connect({ host: '127.0.0.1', port: server.port, prefix: 'erin.c' });
    const peer = await server.nextSocket();
    peer.write('one');
    await within(firstPush.promise, 5_000, 'first push');
    expect(await erin.setActive({ connectionId, mode: 'passive' })).toEqual({ connectionId, mode: 'passive' });
    peer.write('two');
    expect(text((await erin.receive({ connectionId })).data)).toBe('two');
    await erin.setActive({ connectionId, mode: 'active' });
    peer.write('three');
    await within(secondPush.promise, 5_000, 'second push');
    expect(pushed).toEqual(['one', 'three']);
  });

  it('once pushes one chunk, then receive works', async () => {
    const fay = h.as('fay');
    const pushed: string[] = [];
    const pushedOnce = deferred();
    await registerTcpCallbacks(h.registry, 'fay.c', {
      onData: (_id, data) => {
        pushed.push(data.toString());
        pushedOnce.resolve();
      },
    });
    const { connectionId, mode } = await fay.connect({ host: '127.0.0.1', port: server.port, prefix: 'fay.c', mode: 'once' });
    expect(mode).toBe('once');
    const peer = await server.nextSocket();
    peer.write('first');
    await within(pushedOnce.promise, 5_000, 'the once push');
    expect((await fay.peerAddress({ connectionId })).mode).toBe('passive');
    peer.write('second');
    expect(text((await fay.receive({ connectionId })).data)).toBe('second');
    expect(pushed).toEqual(['first']);
  });

  it('close-listener stops accepting but leaves accepted connections open', async () => {
    const gus = h.as('gus');
    const { listenerId, port } = await gus.listen({ host: '127.0.0.1', port: 0, manualAccept: true });
    const client = await rawClient(port);
    const { connectionId } = await gus.accept({ listenerId });
    expect(await gus.closeListener({ listenerId })).toEqual({ listenerId, closed: true });
    expect(h.handler.stats().listeners).toBe(0);
    await gus.activate({ connectionId });
    client.write('still here');
    expect(text((await gus.receive({ connectionId })).data)).toBe('still here');
    await expect(rawClient(port, 2_000)).rejects.toThrow(/ECONNREFUSED/);
    client.destroy();
  });

  it('a connection closed while pending can be refused by its owner with tcp.close', async () => {
    const hal = h.as('hal');
    const { listenerId, port } = await hal.listen({ host: '127.0.0.1', port: 0, manualAccept: true });
    const client = await rawClient(port);
    const { connectionId } = await hal.accept({ listenerId });
    await hal.close({ connectionId });
    await closed(client);
  });
});
