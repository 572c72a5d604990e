import { describe, expect, it } from 'vitest';
import { CommandRegistry } from 'cmd-ipc';
import { createTheater, type ActorInfo } from '../src/index.js';
import { forkNode } from './fixtures/fork-node.js';
import { manifestOf } from './helpers.js';

describe('message-server across processes', () => {
  it('an actor requests an actor in another process, and back, through commands over a process channel', async () => {
    // This process: a root registry with a theater (actor A). Another process: a registry with a
    // theater under the prefix theater-b (actor B), linked to the root over the fork IPC channel.
    const hub = new CommandRegistry({ id: 'hub' });
    const here = await createTheater({ registry: hub });
    const nodeB = await forkNode(hub, { id: 'node-b', theaterPrefix: 'theater-b' });
    try {
      const a = await here.runtime.spawn({ manifest: manifestOf('counter') });
      const b = (await hub.executeCommand('theater-b.spawn', { manifest: manifestOf('counter') })) as ActorInfo;
      expect(b.caller).toBe(`node-b/actor-${b.actorId}`);

      // A (here) asks B (there): the host call runs actor.<B>.handle-request in node-b.
      expect(await hub.executeCommand(`actor.${a.actorId}.ask`, { to: b.actorId, data: { by: 7 } })).toEqual({ count: 7, from: a.actorId });
      // B (there) asks A (here): node-b escalates actor.<A>.handle-request to its router, this hub.
      expect(await hub.executeCommand(`actor.${b.actorId}.ask`, { to: a.actorId, data: { by: 5 } })).toEqual({ count: 5, from: b.actorId });
      // The bridge's request reaches B wherever it is.
      expect(await hub.executeCommand('theater.request', { actorId: b.actorId, data: { by: 1 } })).toEqual({
        actorId: b.actorId,
        result: { count: 8, from: 'hub' },
      });

      expect(await hub.executeCommand('theater-b.state', { actorId: b.actorId })).toEqual({ actorId: b.actorId, state: { count: 8, asked: 1 } });
      const chainA = await here.runtime.chain(a.actorId);
      expect(chainA.find((e) => e.type === 'host.call')?.data).toMatchObject({
        interface: 'theater:simple/message-server-host',
        function: 'request',
        input: { to: b.actorId, data: { by: 7 } },
        output: { ok: true, result: { count: 7, from: a.actorId } },
      });
      expect(await hub.executeCommand('theater-b.verify', { actorId: b.actorId })).toMatchObject({ ok: true });
    } finally {
      await here.dispose();
      await hub.dispose();
      await nodeB.kill();
    }
  });
});
