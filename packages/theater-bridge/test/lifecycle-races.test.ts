import { CommandRegistry } from 'cmd-ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorRuntime } from '../src/index.js';
import { manifestOf, startTheater, type TestTheater } from './helpers.js';

/** Resolves once `check` is true, polling each event-loop turn; rejects after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('lifecycle races', () => {
  let t: TestTheater | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('a runtime disposed while a spawn is loading leaves no actor running', async () => {
    const registry = new CommandRegistry({ id: 'node-dispose-race' });
    const runtime = new ActorRuntime({ registry });
    const spawning = runtime.spawn({ manifest: manifestOf('counter') });
    await runtime.dispose();
    const outcome = await spawning.then(
      (info) => runtime.get(info.actorId)?.status ?? 'gone',
      (error: Error) => `rejected: ${error.message}`,
    );
    // Before the fix the spawn went on after dispose and left a running worker nobody would stop.
    expect(outcome).toMatch(/^rejected: .*disposed/);
    expect(runtime.list().filter((a) => a.status !== 'stopped')).toEqual([]);
    expect(registry.listCommands().filter((c) => c.id.startsWith('actor.'))).toEqual([]);
    await registry.dispose();
  });

  it('an actor stopped while its instance is still starting stays stopped', async () => {
    t = await startTheater();
    const runtime = t.theater.runtime;
    const spawning = runtime.spawn({ manifest: manifestOf('counter') });
    // Wait on the actor being known and still starting (its worker is booting), then stop it.
    await until(() => runtime.list().some((a) => a.status === 'starting'), 'the actor appearing as starting');
    const actorId = runtime.list()[0]?.actorId;
    expect(actorId).toBeDefined();
    await runtime.stop(actorId!, 'stopped while starting');
    await expect(spawning).rejects.toMatchObject({ reason: 'actor_stopped' });
    expect(runtime.get(actorId!)?.status ?? 'stopped').toBe('stopped');
    // Nothing answers for it any more (before the fix the booted instance went on serving calls).
    await expect(t.registry.executeCommand(`actor.${actorId!}.get`)).rejects.toMatchObject({ code: 'not_found' });
  });
});
