import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerTcpCallbacks, tcpErrorReason, type ConnectionTransferredEvent } from '../src/index.js';
import { harness, rejection, type Harness } from './fixtures/harness.js';
import { rawClient, rawServer, readBytes } from './fixtures/peers.js';
import { deferred, within } from './fixtures/wait.js';

describe('tcp.transfer', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('hands a pending connection over with every byte sent before and during the hand-off', async () => {
    const acceptor = h.as('node/acceptor');
    const received: Buffer[] = [];
    const handoffStarted = deferred();
    const letHandoffFinish = deferred();
    const expected = 'before-transfer|during-handoff|after-handoff';
    const allIn = deferred();
    let firstPushAfterHandoff = true;
    let handoffDone = false;
    await registerTcpCallbacks(h.registry, 'worker.c', {
      handleConnectionTransfer: async ({ from, mode }) => {
        expect(from).toBe('node/acceptor');
        expect(mode).toBe('active');
        handoffStarted.resolve();
        // Bytes keep arriving while the new owner has not finished taking the connection.
        await letHandoffFinish.promise;
        handoffDone = true;
      },
      onData: (_id, data) => {
        // No push may reach the new owner before its transfer callback returned.
        if (firstPushAfterHandoff) expect(handoffDone).toBe(true);
        firstPushAfterHandoff = false;
        received.push(data);
        if (Buffer.concat(received).toString() === expected) allIn.resolve();
      },
    });
    const gotConnection = deferred<string>();
    await registerTcpCallbacks(h.registry, 'node.acceptor', {
      handleConnection: ({ connectionId }) => gotConnection.resolve(connectionId),
    });
    const { port } = await acceptor.listen({ host: '127.0.0.1', port: 0, prefix: 'node.acceptor' });
    const client = await rawClient(port);
    client.write('before-transfer|');
    const connectionId = await within(gotConnection.promise, 5_000, 'handle-connection');
    const transferred = h.nextEvent<ConnectionTransferredEvent>('tcp.connection.transferred');
    const transfer = acceptor.transfer({ connectionId, to: 'node/worker', prefix: 'worker.c' });
    await within(handoffStarted.promise, 5_000, 'the hand-off to start');
    client.write('during-handoff|');
    letHandoffFinish.resolve();
    expect(await transfer).toEqual({ connectionId, owner: 'node/worker', mode: 'active' });
    expect(await transferred).toEqual({ connectionId, from: 'node/acceptor', to: 'node/worker' });
    client.write('after-handoff');
    await within(allIn.promise, 5_000, 'all bytes at the new owner');
    expect(Buffer.concat(received).toString()).toBe(expected);

    // The old owner lost it; the new owner can write.
    const error = await rejection(acceptor.sendBytes(connectionId, 'x'));
    expect(tcpErrorReason(error)).toBe('not_owner');
    await h.as('node/worker').sendBytes(connectionId, 'ok');
    expect((await readBytes(client, 2)).toString()).toBe('ok');
    client.destroy();
  });

  it('hands over an active connection from inside on-data, keeping order across owners', async () => {
    const server = await rawServer();
    const first = h.as('first');
    const firstGot: Buffer[] = [];
    const secondGot: Buffer[] = [];
    const total = 256 * 1024;
    const done = deferred();
    const count = (): number => Buffer.concat([...firstGot, ...secondGot]).length;
    let connectionId = '';
    await registerTcpCallbacks(h.registry, 'second.c', {
      handleConnectionTransfer: () => {},
      onData: (_id, data) => {
        secondGot.push(data);
        if (count() === total) done.resolve();
      },
    });
    await registerTcpCallbacks(h.registry, 'first.c', {
      onData: async (_id, data) => {
        firstGot.push(data);
        // Hand off after the first chunk, while this very push is still in flight.
        if (firstGot.length === 1) await first.transfer({ connectionId, to: 'second', prefix: 'second.c' });
        if (count() === total) done.resolve();
      },
    });
    ({ connectionId } = await first.connect({ host: '127.0.0.1', port: server.port, prefix: 'first.c' }));
    const payload = Buffer.alloc(total);
    for (let i = 0; i < total; i += 1) payload[i] = (i * 31) & 0xff;
    (await server.nextSocket()).write(payload);
    await within(done.promise, 10_000, 'all bytes delivered');
    expect(firstGot.length).toBe(1);
    expect(secondGot.length).toBeGreaterThan(0);
    expect(hash(Buffer.concat([...firstGot, ...secondGot]))).toBe(hash(payload));
    await server.close();
  });

  it('keeps the connection with the old owner when the new owner does not take it', async () => {
    const server = await rawServer();
    const alice = h.as('alice');
    const { connectionId } = await alice.connect({ host: '127.0.0.1', port: server.port });
    const error = await rejection(alice.transfer({ connectionId, to: 'nobody', prefix: 'nobody.c' }));
    expect(error.code).toBe('invalid_request');
    expect(tcpErrorReason(error)).toBe('handoff_refused');
    expect(error.message).toContain('nobody');
    (await server.nextSocket()).write('still mine');
    expect(Buffer.from((await alice.receive({ connectionId })).data, 'base64').toString()).toBe('still mine');
    await server.close();
  });

  it('refuses a transfer to an owner at its connection limit', async () => {
    await h.dispose();
    h = await harness({ maxConnectionsPerOwner: 1 });
    const server = await rawServer();
    await registerTcpCallbacks(h.registry, 'bob.c', { handleConnectionTransfer: () => {}, onData: () => {} });
    await h.as('bob').connect({ host: '127.0.0.1', port: server.port });
    const { connectionId } = await h.as('alice').connect({ host: '127.0.0.1', port: server.port });
    const error = await rejection(h.as('alice').transfer({ connectionId, to: 'bob', prefix: 'bob.c' }));
    expect(tcpErrorReason(error)).toBe('limit_reached');
    expect(error.message).toContain('bob');
    expect(h.handler.inspect(connectionId)?.owner).toBe('alice');
    await server.close();
  });
});

function hash(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
