import { afterEach, describe, expect, it } from 'vitest';
import { CommandRegistry, createChannelPair, type CommandChannel } from '../src/index.js';

/**
 *            root
 *          /      \
 *     child-a    child-b
 *       |           |
 *     grand-a    grand-b
 */
async function buildTree() {
  const root = new CommandRegistry({ id: 'root' });
  const childA = new CommandRegistry({ id: 'child-a', routerChannel: 'up' });
  const childB = new CommandRegistry({ id: 'child-b', routerChannel: 'up' });
  const grandA = new CommandRegistry({ id: 'grand-a', routerChannel: 'up' });
  const grandB = new CommandRegistry({ id: 'grand-b', routerChannel: 'up' });
  const links: Record<string, CommandChannel> = {};
  const connect = async (parent: CommandRegistry, child: CommandRegistry) => {
    const [down, up] = createChannelPair(`to-${child.id}`, 'up');
    links[child.id] = down;
    await parent.registerChannel(down);
    await child.registerChannel(up);
  };
  await connect(root, childA);
  await connect(root, childB);
  await connect(childA, grandA);
  await connect(childB, grandB);
  const all = { root, childA, childB, grandA, grandB };
  return { ...all, nodes: Object.values(all), links };
}

let disposeAll: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(disposeAll.map((d) => d()));
  disposeAll = [];
});

describe('a three-level tree over in-memory channels', () => {
  it('registration climbs to the root', async () => {
    const tree = await buildTree();
    disposeAll.push(...tree.nodes.map((n) => () => n.dispose()));
    await tree.grandA.registerCommand('grand-a.work', () => 'a');
    // The grandchild's registration resolved only after the root accepted it.
    expect(tree.root.listCommands().find((c) => c.id === 'grand-a.work')?.owner).toBe('to-child-a');
    expect(tree.childA.listCommands().find((c) => c.id === 'grand-a.work')?.owner).toBe('to-grand-a');
    await expect(tree.grandB.registerCommand('grand-a.work', () => 'clash')).rejects.toMatchObject({ code: 'duplicate_command' });
  });

  it('a grandchild executes a command owned by a grandchild on another branch', async () => {
    const tree = await buildTree();
    disposeAll.push(...tree.nodes.map((n) => () => n.dispose()));
    await tree.grandB.registerCommand('grand-b.greet', (req, ctx) => `hello ${(req as { name: string }).name} from grand-b, asked by ${ctx.caller}`);
    expect(await tree.grandA.executeCommand('grand-b.greet', { name: 'Ada' })).toBe('hello Ada from grand-b, asked by grand-a');
    await expect(tree.grandA.executeCommand('nobody.has.this')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('commands registered before the tree is linked are still reachable from everywhere', async () => {
    const root = new CommandRegistry({ id: 'root' });
    const child = new CommandRegistry({ id: 'child', routerChannel: 'up' });
    const grand = new CommandRegistry({ id: 'grand', routerChannel: 'up' });
    const other = new CommandRegistry({ id: 'other', routerChannel: 'up' });
    disposeAll.push(...[root, child, grand, other].map((n) => () => n.dispose()));
    await grand.registerCommand('early.bird', () => 'worm');
    // Link bottom-up: grand → child first, then child → root.
    const [cd, cu] = createChannelPair('to-grand', 'up');
    await child.registerChannel(cd);
    await grand.registerChannel(cu);
    await child.waitForCommand('early.bird', { timeoutMs: 2000 });
    const [rd, ru] = createChannelPair('to-child', 'up');
    await root.registerChannel(rd);
    await child.registerChannel(ru);
    const [od, ou] = createChannelPair('to-other', 'up');
    await root.registerChannel(od);
    await other.registerChannel(ou);
    await root.waitForCommand('early.bird', { timeoutMs: 2000 });
    expect(await other.executeCommand('early.bird')).toBe('worm');
  });

  it('events reach every node exactly once, from any node', async () => {
    const tree = await buildTree();
    disposeAll.push(...tree.nodes.map((n) => () => n.dispose()));
    for (const emitter of tree.nodes) {
      const counts = new Map<string, number>();
      const stops = tree.nodes.map((node) => node.addEventListener('tree.ping', (payload) => {
        expect(payload).toEqual({ from: emitter.id });
        counts.set(node.id, (counts.get(node.id) ?? 0) + 1);
      }));
      // A final marker event from the same emitter travels the same paths after the first one.
      const markers = tree.nodes.map((node) => node.once('tree.marker', { timeoutMs: 2000 }));
      emitter.emitEvent('tree.ping', { from: emitter.id });
      emitter.emitEvent('tree.marker');
      await Promise.all(markers);
      stops.forEach((stop) => stop());
      expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(tree.nodes.map((n) => [n.id, 1])));
    }
  });

  it("a middle node's channel closing fails routed calls at once, not at their TTL", async () => {
    const tree = await buildTree();
    disposeAll.push(...tree.nodes.map((n) => () => n.dispose()));
    let release: (() => void) | undefined;
    const started = new Promise<void>((resolve) => {
      void tree.grandB.registerCommand('grand-b.slow', () => new Promise((done) => { release = () => done('late'); resolve(); }));
    });
    await tree.root.waitForCommand('grand-b.slow', { timeoutMs: 2000 });
    const calls = Array.from({ length: 20 }, () => tree.grandA.executeCommand('grand-b.slow', undefined, { timeoutMs: 60_000 }));
    await started;
    const t0 = Date.now();
    // The root's link to child-b (the middle of the callee's branch) goes away.
    await tree.links['child-b']!.close();
    const outcomes = await Promise.allSettled(calls);
    expect(Date.now() - t0).toBeLessThan(5000);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'channel_disconnected' });
    }
    release?.();
    expect(tree.root.hasCommand('grand-b.slow')).toBe(false);
    // The rest of the tree keeps serving.
    await tree.grandA.registerCommand('grand-a.still', () => 'alive');
    expect(await tree.root.executeCommand('grand-a.still')).toBe('alive');
  });
});
