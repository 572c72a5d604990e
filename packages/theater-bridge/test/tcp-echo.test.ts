import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CommandRegistry } from 'cmd-ipc';
import type { ActorInfo, ChainEvent } from '../src/index.js';
import { forkNode } from './fixtures/fork-node.js';
import { manifestOf } from './helpers.js';

/** A real TCP client on 127.0.0.1 that collects what it receives. */
async function client(port: number): Promise<{ socket: Socket; received: () => string; until: (text: string) => Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = '';
  const waiters = new Set<() => void>();
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  const until = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`did not receive ${JSON.stringify(text)} within 10 s; got ${JSON.stringify(buffer)}`));
      }, 10_000);
      const check = (): void => {
        if (!buffer.includes(text)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { socket, received: () => buffer, until };
}

describe('TCP echo actor', () => {
  it('serves real TCP clients through tcp.* commands of a tcp-handler in another process, behind a hub', async () => {
    // This process is only the hub. The tcp-handler and the actor runtime are two other processes;
    // every tcp.* call and every callback crosses the hub.
    const hub = new CommandRegistry({ id: 'hub' });
    const tcpNode = await forkNode(hub, { id: 'tcp-node', tcp: true });
    const actorNode = await forkNode(hub, { id: 'actor-node', theaterPrefix: 'theater' });
    const sockets: Socket[] = [];
    try {
      const echo = (await hub.executeCommand('theater.spawn', {
        manifest: manifestOf('echo'),
        params: { host: '127.0.0.1', port: 0 },
      })) as ActorInfo;
      const { state } = (await hub.executeCommand('theater.state', { actorId: echo.actorId })) as { state: { port: number; listenerId: string } };
      expect(state.port).toBeGreaterThan(0);

      const first = await client(state.port);
      const second = await client(state.port);
      sockets.push(first.socket, second.socket);
      first.socket.write('hello, actor');
      second.socket.write('second client');
      await first.until('hello, actor');
      await second.until('second client');
      for (let i = 0; i < 20; i++) first.socket.write(`line ${i}\n`);
      await first.until('line 19\n');
      expect(first.received()).toBe(`hello, actor${Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('')}`);
      expect(second.received()).toBe('second client');

      const stats = (await hub.executeCommand(`actor.${echo.actorId}.stats`, {})) as { connections: number; echoed: number };
      expect(stats.connections).toBe(2);
      expect(stats.echoed).toBe(Buffer.byteLength(first.received()) + Buffer.byteLength(second.received()));

      // Every step is in the actor's chain, which verifies and replays (tcp outputs served from the chain).
      const { events } = (await hub.executeCommand('theater.chain', { actorId: echo.actorId })) as { events: ChainEvent[] };
      const hostCalls = events.filter((e) => e.type === 'host.call').map((e) => (e.data as { function: string }).function);
      expect(hostCalls.slice(0, 2)).toEqual(['self', 'listen']);
      expect(hostCalls).toContain('activate');
      expect(hostCalls.filter((f) => f === 'send').length).toBeGreaterThanOrEqual(2);
      const listen = events.find((e) => e.type === 'host.call' && (e.data as { function: string }).function === 'listen');
      expect(listen?.data).toMatchObject({ interface: 'theater:simple/tcp', input: { prefix: `actor.${echo.actorId}.tcp` } });
      expect(await hub.executeCommand('theater.verify', { actorId: echo.actorId })).toMatchObject({ ok: true, length: events.length });
      expect(await hub.executeCommand('theater.replay', { actorId: echo.actorId })).toMatchObject({ ok: true });
    } finally {
      for (const socket of sockets) socket.destroy();
      await hub.dispose();
      await actorNode.kill();
      await tcpNode.kill();
    }
  });
});
