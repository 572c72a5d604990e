import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandRegistry, WorkerChannel, createChannelPair } from '../../src/index.js';
import { settleCodes, startWorkerPeer, within } from './helpers.js';

describe('worker thread channels (WorkerChannel ↔ ParentPortChannel)', () => {
  let root: CommandRegistry;
  let worker: Worker;

  beforeEach(async () => {
    root = new CommandRegistry({ id: 'root' });
    await root.registerCommand('root.add', (request) => {
      const { a, b } = request as { a: number; b: number };
      return a + b;
    });
    worker = startWorkerPeer({ id: 'w1', up: { kind: 'worker' } });
    await root.registerChannel(new WorkerChannel(worker, { id: 'w1' }));
    // The worker registers its commands through its router (this channel) last-to-first: events is the last.
    await root.waitForCommand('w1.events', { timeoutMs: 20_000 });
  });

  afterEach(async () => {
    await root.dispose();
    await worker.terminate();
  });

  it('registers across it: the worker’s commands escalate to the parent and are owned by the channel', () => {
    const owners = Object.fromEntries(root.listCommands().map((command) => [command.id, command.owner]));
    expect(owners['w1.echo']).toBe('w1');
    expect(owners['w1.hang']).toBe('w1');
    expect(root.listChannels().find((channel) => channel.id === 'w1')?.extensions).toBe(true);
  });

  it('executes across it in both directions, the worker escalating what it does not know', async () => {
    expect(await root.executeCommand('w1.echo', { n: 1 })).toEqual({ from: 'w1', request: { n: 1 } });
    // w1.exec runs root.add from inside the worker: unknown there, so it goes up through the router.
    expect(await root.executeCommand('w1.exec', { commandId: 'root.add', request: { a: 2, b: 3 } })).toBe(5);
  });

  it('carries events across it in both directions', async () => {
    root.emitEvent('news.down', { n: 7 });
    const fromWorker = root.once('w1.news');
    await root.executeCommand('w1.emit', { eventId: 'w1.news', payload: { n: 8 } });
    expect(await within(5000, 'the worker’s event', fromWorker)).toEqual({ n: 8 });
    const seen = (await root.executeCommand('w1.events')) as { eventId: string; payload: unknown }[];
    expect(seen).toContainEqual({ eventId: 'news.down', payload: { n: 7 } });
  });

  it('lets a sibling reach the worker’s command through the root (escalation)', async () => {
    const sibling = new CommandRegistry({ id: 'sibling', routerChannel: 'root' });
    const [toSibling, toRoot] = createChannelPair('sibling', 'root');
    await root.registerChannel(toSibling);
    await sibling.registerChannel(toRoot);
    try {
      expect(await sibling.executeCommand('w1.echo', 'hi')).toEqual({ from: 'w1', request: 'hi' });
    } finally {
      await sibling.dispose();
    }
  });

  it('fails 100 calls in flight with channel_disconnected at once when the worker is terminated; the parent keeps serving', async () => {
    const calls = Array.from({ length: 100 }, () => root.executeCommand('w1.hang'));
    const settled = settleCodes(calls); // handlers attached now, so no rejection goes unhandled
    // Every request must have reached the worker before it dies: w1.echo answers after them (FIFO port).
    await root.executeCommand('w1.echo');
    const started = Date.now();
    await worker.terminate();
    const codes = await within(5000, '100 in-flight calls settling', settled);
    expect(codes).toEqual(Array.from({ length: 100 }, () => 'channel_disconnected'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(root.hasCommand('w1.echo')).toBe(false);
    await expect(root.executeCommand('root.add', { a: 1, b: 1 })).resolves.toBe(2);
    await expect(root.executeCommand('w1.echo')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('closes on a crash: an uncaught error in the worker fails its calls with channel_disconnected', async () => {
    const calls = Array.from({ length: 10 }, () => root.executeCommand('w1.hang'));
    const settled = settleCodes(calls); // handlers attached now, so no rejection goes unhandled
    await root.executeCommand('w1.echo');
    const closed = new Promise<string | undefined>((resolve) => root.onChannelClosed((info) => resolve(info.reason)));
    await root.executeCommand('w1.crash');
    expect(await within(5000, 'the channel closing', closed)).toMatch(/crashed: deliberate crash/);
    expect(await settled).toEqual(Array.from({ length: 10 }, () => 'channel_disconnected'));
    await expect(root.executeCommand('root.add', { a: 1, b: 2 })).resolves.toBe(3);
  });
});
