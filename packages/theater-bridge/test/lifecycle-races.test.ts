import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandRegistry, type Logger } from 'cmd-ipc';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorRuntime } from '../src/index.js';
import { manifestOf, startTheater, wasmOf, type TestTheater } from './helpers.js';

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

  it('does not execute a host call the worker posted just before its deadline ended the instance', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug() {}, info: (message) => lines.push(message), warn() {}, error() {} };
    t = await startTheater({ logger });
    const runtime = t.theater.runtime;
    const manifest = join(t.dataDir, 'short-counter.toml');
    await writeFile(
      manifest,
      `name = "short"\npackage = ${JSON.stringify(wasmOf('counter'))}\n[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "message-server"\n[limits]\ncall-timeout-ms = 100\n`,
    );
    const { actorId } = await runtime.spawn({ manifest });
    const failed = new Promise<void>((resolve) => {
      const off = runtime.onLifecycle((event) => {
        if (event.type === 'stopped' && event.actorId === actorId) {
          off();
          resolve();
        }
      });
    });
    // From a check-phase callback: post the call, then hold the main thread (without spinning) well past
    // the deadline while the worker runs `note` and posts its runtime.log host call. When the loop runs
    // again the overdue deadline timer fires first and ends the instance; the worker's host message is
    // delivered after that, on behalf of an instance that no longer exists.
    const { call } = await new Promise<{ call: Promise<unknown> }>((resolve) =>
      setImmediate(() => {
        const pending = runtime.call(actorId, 'note', { message: 'from a dead instance' });
        pending.catch(() => undefined);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
        resolve({ call: pending });
      }),
    );
    await expect(call).rejects.toMatchObject({ reason: 'deadline_exceeded' });
    await failed;
    await t.theater.runtime.require(actorId).chain.flush();
    // Whatever the worker posted last is answered (or dropped) without running the command.
    expect(lines.filter((line) => line.includes('from a dead instance'))).toEqual([]);
    const types = (await runtime.chain(actorId)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['export.call', 'export.error']);
  });
});
