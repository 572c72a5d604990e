import { afterEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'cmd-ipc';
import { parseChainLines } from '../src/index.js';
import { manifestOf, startTheater, waitForEvent, type TestTheater } from './helpers.js';

describe('host handlers', () => {
  let t: TestTheater | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('timer ticks an actor, which stores a content-addressed summary under a label and shuts down', async () => {
    t = await startTheater();
    const registry = t.registry;
    let tickerId = '';
    const done = waitForEvent<{ actorId: string; reason: string }>(registry, 'theater.actor.stopped', (p) => p.actorId === tickerId);
    tickerId = (await t.theater.runtime.spawn({ manifest: manifestOf('ticker'), params: { intervalMs: 10, target: 3 } })).actorId;
    expect(await done).toMatchObject({ reason: 'exit: reached its target' });

    const state = t.theater.runtime.require(tickerId).state as { ticks: number; summaryHash: string; startedAt: number };
    expect(state.ticks).toBe(3);
    const stored = await t.theater.store.get(state.summaryHash);
    expect(JSON.parse(Buffer.from(stored!).toString('utf8'))).toEqual({ ticks: 3, startedAt: state.startedAt });
    expect(await t.theater.store.resolveLabel('ticker/summary')).toBe(state.summaryHash);

    const calls = (await t.theater.runtime.chain(tickerId))
      .filter((e) => e.type === 'host.call')
      .map((e) => `${(e.data as { interface: string }).interface}.${(e.data as { function: string }).function}`);
    expect(calls).toEqual([
      'theater:simple/timer.now',
      'theater:simple/timer.set-interval',
      'theater:simple/timer.cancel',
      'theater:simple/store.put',
      'theater:simple/store.label',
      'theater:simple/runtime.shutdown',
    ]);
    expect(await t.theater.runtime.verify(tickerId)).toMatchObject({ ok: true });
  });

  it('hands a host reply larger than the shared buffer to the actor (store.get of 300 KB)', async () => {
    t = await startTheater({ sharedBytes: 4096 });
    const hash = await t.theater.store.put(Buffer.from(`{"big":"${'y'.repeat(300_000)}"}`));
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('ticker'), params: { intervalMs: 600_000, target: 2 } });
    expect(await t.registry.executeCommand(`actor.${actorId}.fetch`, { hash })).toEqual({ length: 300_010, head: '{"big":"yyyyyyyy' });
    // A missing object is a handled error the actor reports.
    await expect(t.registry.executeCommand(`actor.${actorId}.fetch`, { hash: '0'.repeat(64) })).rejects.toMatchObject({
      message: expect.stringContaining('get failed: not_found: store has no object'),
    });
  });

  it('refuses a timer interval below the manifest minimum (init fails, so spawn fails)', async () => {
    t = await startTheater();
    await expect(t.theater.runtime.spawn({ manifest: manifestOf('ticker'), params: { intervalMs: 1 } })).rejects.toMatchObject({
      message: expect.stringContaining('1 ms is below'),
    });
    expect(t.theater.runtime.list()).toEqual([]);
  });

  it('runtime.log writes to the runtime logger and runtime.self names the actor', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug() {},
      info: (message) => lines.push(message),
      warn() {},
      error() {},
    };
    t = await startTheater({ logger });
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    await t.registry.executeCommand(`actor.${actorId}.note`, { message: 'written by wasm' });
    expect(lines).toContain(`actor ${actorId} (counter): written by wasm`);

    const echo = await startTheater({ registryId: 'node-self' });
    try {
      // The echo actor's init calls runtime.self to build its callback prefix; without tcp.listen it fails, naming it.
      await expect(echo.theater.runtime.spawn({ manifest: manifestOf('echo') })).rejects.toMatchObject({
        message: expect.stringContaining('listen failed: not_found: command not found: tcp.listen'),
      });
      // The failed spawn's chain is still on disk; its first host call is runtime.self.
      const [file] = await readdir(join(echo.dataDir, 'chains'));
      const events = parseChainLines((await readFile(join(echo.dataDir, 'chains', file!), 'utf8')).trim().split('\n'));
      const actorId = file!.replace(/\.jsonl$/, '');
      expect(events.find((e) => e.type === 'host.call')?.data).toEqual({
        interface: 'theater:simple/runtime',
        function: 'self',
        input: {},
        output: { ok: true, result: { actorId, name: 'echo', caller: `node-self/actor-${actorId}`, commandPrefix: `actor.${actorId}` } },
      });
      expect(events.at(-1)).toMatchObject({ type: 'actor.stop' });
    } finally {
      await echo.close();
    }
  });
});
