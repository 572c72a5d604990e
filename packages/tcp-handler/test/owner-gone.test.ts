import { CommandRegistry, createChannelPair } from 'cmd-ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { tcpClient, type ConnectionClosedEvent } from '../src/index.js';
import { harness, type Harness } from './fixtures/harness.js';
import { closed, rawClient, rawServer, type RawServer } from './fixtures/peers.js';

describe('when an owner goes away', () => {
  let h: Harness | undefined;
  let server: RawServer | undefined;
  const extra: CommandRegistry[] = [];
  afterEach(async () => {
    await server?.close();
    for (const registry of extra.splice(0)) await registry.dispose();
    await h?.dispose();
    h = undefined;
    server = undefined;
  });

  it('its direct channel closing closes what it owned, and nothing else', async () => {
    h = await harness();
    server = await rawServer();
    const owner = new CommandRegistry({ id: 'owner-b', routerChannel: 'to-tcp' });
    extra.push(owner);
    const [tcpEnd, ownerEnd] = createChannelPair('to-owner-b', 'to-tcp');
    await h.registry.registerChannel(tcpEnd);
    await owner.registerChannel(ownerEnd);
    const remote = tcpClient(owner);
    const theirs = await remote.connect({ host: '127.0.0.1', port: server.port });
    const theirPeer = await server.nextSocket();
    const theirListener = await remote.listen({ host: '127.0.0.1', port: 0 });
    const mine = await h.as('alice').connect({ host: '127.0.0.1', port: server.port });
    const myPeer = await server.nextSocket();
    expect(h.handler.inspect(theirs.connectionId)?.owner).toBe('owner-b');

    const gone = h.nextEvent<ConnectionClosedEvent>('tcp.connection.closed');
    await owner.closeChannel('to-tcp');
    expect(await gone).toMatchObject({ connectionId: theirs.connectionId, owner: 'owner-b', reason: 'owner_gone' });
    await closed(theirPeer);
    await expect(rawClient(theirListener.port, 2_000)).rejects.toThrow(/ECONNREFUSED/);
    // alice's connection is untouched.
    expect(h.handler.stats()).toMatchObject({ connections: 1, listeners: 0 });
    myPeer.write('alive');
    expect(Buffer.from((await h.as('alice').receive({ connectionId: mine.connectionId })).data, 'base64').toString()).toBe('alive');
  });

  it('a hub reporting a spoke gone (cmd-ipc.channel.closed) closes what that identity owned', async () => {
    server = await rawServer();
    const hub = new CommandRegistry({ id: 'hub' });
    extra.push(hub);
    // The tcp node is a spoke of the hub, as in a real deployment.
    h = await harness({}, 'tcp-node', 'hub');
    const tcpNode = h.registry;
    const [hubToTcp, tcpToHub] = createChannelPair('spoke-tcp', 'hub', { identities: { a: 'tcp-node' } });
    await hub.registerChannel(hubToTcp);
    await tcpNode.registerChannel(tcpToHub);

    const spoke = async (id: string): Promise<CommandRegistry> => {
      const registry = new CommandRegistry({ id, routerChannel: 'hub' });
      extra.push(registry);
      const [hubEnd, spokeEnd] = createChannelPair(`spoke-${id}`, 'hub', { identities: { a: id } });
      await hub.registerChannel(hubEnd);
      await registry.registerChannel(spokeEnd);
      return registry;
    };
    const doomed = await spoke('spoke-a');
    const survivor = await spoke('spoke-b');
    const doomedConn = await tcpClient(doomed).connect({ host: '127.0.0.1', port: server.port });
    const doomedPeer = await server.nextSocket();
    const doomedChild = await tcpClient(doomed, { caller: 'spoke-a/actor-1' }).connect({ host: '127.0.0.1', port: server.port });
    const doomedChildPeer = await server.nextSocket();
    const kept = await tcpClient(survivor).connect({ host: '127.0.0.1', port: server.port });
    // An in-process owner that happens to share the name is not behind the hub: news about the spoke
    // must not touch it.
    const inProcess = await h.as('spoke-a').connect({ host: '127.0.0.1', port: server.port });
    expect(h.handler.inspect(doomedConn.connectionId)?.owner).toBe('spoke-a');
    expect(h.handler.inspect(doomedChild.connectionId)?.owner).toBe('spoke-a/actor-1');
    expect(h.handler.inspect(kept.connectionId)?.owner).toBe('spoke-b');

    await hub.closeChannel('spoke-spoke-a');
    await closed(doomedPeer);
    await closed(doomedChildPeer);
    expect(h.handler.inspect(doomedConn.connectionId)).toBeUndefined();
    expect(h.handler.inspect(kept.connectionId)?.owner).toBe('spoke-b');
    expect(h.handler.inspect(inProcess.connectionId)?.owner).toBe('spoke-a');
    expect(h.handler.stats().connections).toBe(2);
  });

  it('releaseOwner closes an in-process owner and the callers beneath it, not its look-alikes', async () => {
    h = await harness();
    server = await rawServer();
    const target = { host: '127.0.0.1', port: server.port };
    const a = await h.as('node/actor-1').connect(target);
    const aPeer = await server.nextSocket();
    const sub = await h.as('node/actor-1/child').connect(target);
    const subPeer = await server.nextSocket();
    const lookAlike = await h.as('node/actor-10').connect(target);
    await h.as('node/actor-1').listen({ host: '127.0.0.1', port: 0 });
    expect(h.handler.releaseOwner('node/actor-1')).toBe(3);
    await closed(aPeer);
    await closed(subPeer);
    expect(h.handler.inspect(a.connectionId)).toBeUndefined();
    expect(h.handler.inspect(sub.connectionId)).toBeUndefined();
    expect(h.handler.inspect(lookAlike.connectionId)?.owner).toBe('node/actor-10');
    expect(h.handler.stats().listeners).toBe(0);
  });

  it('tcp.release lets a remote owner that stops release itself (and only itself)', async () => {
    h = await harness();
    server = await rawServer();
    const owner = new CommandRegistry({ id: 'actor-node', routerChannel: 'to-tcp' });
    extra.push(owner);
    const [tcpEnd, ownerEnd] = createChannelPair('to-actor-node', 'to-tcp', { identities: { a: 'actor-node' } });
    await h.registry.registerChannel(tcpEnd);
    await owner.registerChannel(ownerEnd);
    const target = { host: '127.0.0.1', port: server.port };
    const actor = tcpClient(owner, { caller: 'actor-node/actor-7' });
    await actor.connect(target);
    const actorPeer = await server.nextSocket();
    const sibling = await tcpClient(owner, { caller: 'actor-node/actor-8' }).connect(target);
    const outsider = await h.as('alice').connect(target);
    expect(await actor.release({})).toEqual({ closed: 1 });
    await closed(actorPeer);
    expect(h.handler.inspect(sibling.connectionId)?.owner).toBe('actor-node/actor-8');
    // A claim outside the channel's identity is stamped back to the identity: it can release that
    // identity's own subtree (actor-8), never alice's connection.
    const forged = tcpClient(owner, { caller: 'alice' });
    expect(await forged.release({})).toEqual({ closed: 1 });
    expect(h.handler.inspect(sibling.connectionId)).toBeUndefined();
    expect(h.handler.inspect(outsider.connectionId)?.owner).toBe('alice');
  });
});
