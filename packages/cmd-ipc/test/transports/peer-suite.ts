/**
 * The tests every transport must pass (issue 3): register, execute and events across it, escalation
 * from a child through it, and the peer dying with 100 calls in flight.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CommandRegistry, createChannelPair } from '../../src/index.js';
import { settleCodes, within } from './helpers.js';

/** A root registry linked to one peer (peer.ts) over the transport under test. */
export interface PeerHarness {
  root: CommandRegistry;
  /** The peer's registry id (its commands are `<peerId>.*`). */
  peerId: string;
  /** Kills the peer the hard way: kill -9, worker.terminate(), or its socket destroyed. */
  kill(): Promise<void>;
  /** Stops everything the harness started. */
  cleanup(): Promise<void>;
}

/** Bound on how long the 100 in-flight calls may take to fail once the peer is killed. */
export interface SuiteOptions {
  settleWithinMs?: number;
}

/** Defines the common tests for one transport; `setup` builds a fresh harness for each test. */
export function peerTransportSuite(setup: (root: CommandRegistry) => Promise<PeerHarness>, options: SuiteOptions = {}): void {
  let harness: PeerHarness;
  let root: CommandRegistry;
  let peer: string;

  beforeEach(async () => {
    root = new CommandRegistry({ id: 'root' });
    await root.registerCommand('root.add', (request) => {
      const { a, b } = request as { a: number; b: number };
      return a + b;
    });
    harness = await setup(root);
    peer = harness.peerId;
    // The peer registers its commands one after another through its router; `.crash` is the last.
    await root.waitForCommand(`${peer}.crash`, { timeoutMs: 20_000 });
  });

  afterEach(async () => {
    await harness.cleanup();
    await root.dispose();
  });

  it('registers across it: the peer’s commands escalate to the root, owned by its channel', () => {
    const echo = root.listCommands().find((command) => command.id === `${peer}.echo`);
    expect(echo?.owner).toBeDefined();
    expect(echo?.owner).not.toBe('local');
    expect(root.listChannels().some((channel) => channel.id === echo?.owner && channel.commands.includes(`${peer}.echo`))).toBe(true);
  });

  it('executes across it in both directions, the peer escalating what it does not know', async () => {
    expect(await root.executeCommand(`${peer}.echo`, { n: 1 })).toEqual({ from: peer, request: { n: 1 } });
    expect(await root.executeCommand(`${peer}.exec`, { commandId: 'root.add', request: { a: 2, b: 3 } })).toBe(5);
  });

  it('carries events across it in both directions', async () => {
    root.emitEvent('news.down', { n: 7 });
    const fromPeer = root.once(`${peer}.news`);
    await root.executeCommand(`${peer}.emit`, { eventId: `${peer}.news`, payload: { n: 8 } });
    expect(await within(5000, 'the peer’s event', fromPeer)).toEqual({ n: 8 });
    const seen = (await root.executeCommand(`${peer}.events`)) as { eventId: string; payload: unknown }[];
    expect(seen).toContainEqual({ eventId: 'news.down', payload: { n: 7 } });
  });

  it('lets a sibling reach the peer’s command through the root, and the peer reach the sibling’s', async () => {
    const sibling = new CommandRegistry({ id: 'sibling', routerChannel: 'root' });
    const [toSibling, toRoot] = createChannelPair('sibling', 'root');
    await root.registerChannel(toSibling);
    await sibling.registerChannel(toRoot);
    try {
      await sibling.registerCommand('sibling.hello', () => 'hello from sibling');
      expect(await sibling.executeCommand(`${peer}.echo`, 'hi')).toEqual({ from: peer, request: 'hi' });
      expect(await root.executeCommand(`${peer}.exec`, { commandId: 'sibling.hello' })).toBe('hello from sibling');
    } finally {
      await sibling.dispose();
    }
  });

  it('fails 100 calls in flight with channel_disconnected when the peer dies; the root keeps serving', async () => {
    const calls = Array.from({ length: 100 }, () => root.executeCommand(`${peer}.hang`));
    const settled = settleCodes(calls); // handlers attached now, so no rejection goes unhandled
    // Requests are delivered in order, so once echo answers, all 100 have reached the peer.
    await root.executeCommand(`${peer}.echo`);
    const started = Date.now();
    await harness.kill();
    const bound = options.settleWithinMs ?? 5000;
    const codes = await within(bound, '100 in-flight calls settling', settled);
    expect(codes).toEqual(Array.from({ length: 100 }, () => 'channel_disconnected'));
    expect(Date.now() - started).toBeLessThan(bound);
    expect(root.hasCommand(`${peer}.echo`)).toBe(false);
    await expect(root.executeCommand('root.add', { a: 1, b: 1 })).resolves.toBe(2);
    await expect(root.executeCommand(`${peer}.echo`)).rejects.toMatchObject({ code: 'not_found' });
  });
}
