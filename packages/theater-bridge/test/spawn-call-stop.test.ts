import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestOf, startTheater, type TestTheater } from './helpers.js';
import type { ActorInfo } from '../src/index.js';

describe('spawn, call, stop', () => {
  let t: TestTheater;
  beforeEach(async () => {
    t = await startTheater();
  });
  afterEach(async () => {
    await t.close();
  });

  it('spawns an actor through theater.spawn, calls its export as a command, and stops it', async () => {
    const info = (await t.registry.executeCommand('theater.spawn', { manifest: manifestOf('counter') })) as ActorInfo;
    expect(info.status).toBe('running');
    expect(info.exports).toEqual(expect.arrayContaining(['increment', 'get', 'handle-request', 'handle-send']));
    expect(t.registry.listCommands().map((c) => c.id)).toContain(`actor.${info.actorId}.increment`);

    expect(await t.registry.executeCommand(`actor.${info.actorId}.increment`, { by: 5 })).toBe(5);

    const stopped = (await t.registry.executeCommand('theater.stop', { actorId: info.actorId })) as ActorInfo;
    expect(stopped.status).toBe('stopped');
    expect(t.registry.listCommands().map((c) => c.id)).not.toContain(`actor.${info.actorId}.increment`);
    await expect(t.theater.runtime.call(info.actorId, 'get')).rejects.toMatchObject({ reason: 'actor_stopped' });
  });

  it('keeps state across calls', async () => {
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    for (let i = 1; i <= 10; i++) {
      expect(await t.registry.executeCommand(`actor.${actorId}.increment`, { by: 2 })).toBe(i * 2);
    }
    expect(await t.registry.executeCommand(`actor.${actorId}.get`)).toBe(20);
    expect(await t.registry.executeCommand('theater.state', { actorId })).toEqual({ actorId, state: { count: 20 } });
  });

  it('lists actors and reports a handled error without failing the actor', async () => {
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    await expect(t.registry.executeCommand(`actor.${actorId}.refuse`)).rejects.toMatchObject({
      code: 'internal_error',
      message: expect.stringContaining('counter refuses on purpose'),
    });
    expect(await t.registry.executeCommand(`actor.${actorId}.increment`, {})).toBe(1);
    const { actors } = (await t.registry.executeCommand('theater.list')) as { actors: ActorInfo[] };
    expect(actors.map((a) => [a.actorId, a.status, a.failures])).toEqual([[actorId, 'running', 0]]);
  });

  it('emits theater.actor.started and theater.actor.stopped', async () => {
    const events: Array<[string, unknown]> = [];
    t.registry.addEventListener('*', (payload, { eventId }) => {
      if (eventId.startsWith('theater.actor.')) events.push([eventId, payload]);
    });
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    await t.theater.runtime.stop(actorId, 'test done');
    expect(events).toEqual([
      ['theater.actor.started', { actorId, name: 'counter', restart: false }],
      ['theater.actor.stopped', { actorId, name: 'counter', reason: 'test done', status: 'stopped' }],
    ]);
  });

  it('moves a result larger than the shared reply buffer', async () => {
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    const big = (await t.registry.executeCommand(`actor.${actorId}.blob`, { size: 300_000 })) as string;
    expect(big).toHaveLength(300_000);
  });
});
