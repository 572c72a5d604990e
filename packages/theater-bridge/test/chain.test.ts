import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEvent, makeEvent, replayChain, verifyChainFile, type ChainEvent, type VerifyResult } from '../src/index.js';
import { ModuleCache } from '../src/runtime/module-cache.js';
import { manifestOf, startTheater, wasmOf, type TestTheater } from './helpers.js';

describe('event chain', () => {
  let t: TestTheater;
  beforeEach(async () => {
    t = await startTheater();
  });
  afterEach(async () => {
    await t.close();
  });

  /** A counter with a varied history: plain calls, a host call (log), a handled error, a message-server request. */
  async function recordedCounter(): Promise<{ actorId: string; path: string }> {
    const other = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    const { actorId } = await t.theater.runtime.spawn({ manifest: manifestOf('counter'), state: { count: 100 } });
    await t.registry.executeCommand(`actor.${actorId}.increment`, { by: 3 });
    await t.registry.executeCommand(`actor.${actorId}.note`, { message: 'hello chain' });
    await expect(t.registry.executeCommand(`actor.${actorId}.refuse`, {})).rejects.toThrow();
    await t.registry.executeCommand(`actor.${actorId}.ask`, { to: other.actorId, data: { by: 7 } });
    await t.registry.executeCommand(`actor.${actorId}.increment`, {});
    await t.theater.runtime.require(actorId).chain.flush();
    return { actorId, path: t.theater.runtime.chainPath(actorId)! };
  }

  it('records every export call and host call as hashed, linked events', async () => {
    const { actorId } = await recordedCounter();
    const events = await t.theater.runtime.chain(actorId);
    expect(events.map((e) => e.type)).toEqual([
      'actor.start',
      'export.call', 'export.result',
      'export.call', 'host.call', 'export.result',
      'export.call', 'export.error',
      'export.call', 'host.call', 'export.result',
      'export.call', 'export.result',
    ]);
    expect(events[4]).toMatchObject({
      data: { interface: 'theater:simple/runtime', function: 'log', input: { message: 'hello chain' }, output: { ok: true, result: {} } },
    });
    expect(events[9]!.data).toMatchObject({
      interface: 'theater:simple/message-server-host',
      function: 'request',
      output: { ok: true, result: { count: 7, from: actorId } },
    });
    events.forEach((event, i) => {
      expect(event.parentHash).toBe(i === 0 ? null : events[i - 1]!.hash);
      expect(event.hash).toBe(hashEvent(event.type, event.data, event.parentHash));
    });
  });

  it('verify passes on a real chain', async () => {
    const { actorId, path } = await recordedCounter();
    const length = t.theater.runtime.info(actorId).chainLength;
    expect(await verifyChainFile(path)).toEqual({ ok: true, length, head: t.theater.runtime.info(actorId).chainHead });
    expect(await t.registry.executeCommand('theater.verify', { actorId })).toMatchObject({ ok: true, length });
  });

  it('verify names the exact event after one byte of the persisted chain is changed', async () => {
    const { actorId, path } = await recordedCounter();
    const original = await readFile(path, 'utf8');
    const lines = original.split('\n');
    // For every event and three places in it (its data, its own hash, its parent link), change one byte.
    for (let index = 0; index < lines.length - 1; index++) {
      const line = lines[index]!;
      const spots = {
        data: line.indexOf('"data":') + '"data":{"'.length,
        hash: line.indexOf('"hash":"') + '"hash":"'.length + 10,
        parent: index > 0 ? line.indexOf('"parentHash":"') + '"parentHash":"'.length + 5 : -1,
      };
      for (const [where, offset] of Object.entries(spots)) {
        if (offset < 0) continue;
        const byteOffset = Buffer.byteLength(lines.slice(0, index).join('\n')) + (index > 0 ? 1 : 0) + Buffer.byteLength(line.slice(0, offset));
        const bytes = Buffer.from(original, 'utf8');
        bytes[byteOffset] = bytes[byteOffset] === 0x61 ? 0x62 : 0x61; // 'a' <-> 'b' keeps it one byte
        await writeFile(path, bytes);
        const result: VerifyResult = await verifyChainFile(path);
        expect({ where, index, result }).toMatchObject({ where, index, result: { ok: false, index } });
      }
    }
    // The live command reads the same file.
    const bytes = Buffer.from(original, 'utf8');
    const target = original.indexOf('hello chain');
    bytes[target] = 0x48; // 'h' -> 'H'
    await writeFile(path, bytes);
    expect(await t.registry.executeCommand('theater.verify', { actorId })).toMatchObject({ ok: false, index: 3, length: 3 });
    await writeFile(path, original);
    expect(await t.registry.executeCommand('theater.verify', { actorId })).toMatchObject({ ok: true });
  });

  it('theater.verify of a live actor refuses a stored chain cut short or extended past what the runtime recorded', async () => {
    const { actorId, path } = await recordedCounter();
    const original = await readFile(path, 'utf8');
    const lines = original.trimEnd().split('\n');
    const length = lines.length;
    // Drop the last two events: every remaining link still verifies on its own.
    await writeFile(path, `${lines.slice(0, -2).join('\n')}\n`);
    expect(await verifyChainFile(path)).toMatchObject({ ok: true, length: length - 2 });
    expect(await t.registry.executeCommand('theater.verify', { actorId })).toMatchObject({
      ok: false,
      index: length - 2,
      length: length - 2,
      reason: expect.stringContaining(`ends after ${length - 2} events`),
    });
    // Append a well-linked event the actor never produced.
    const head = JSON.parse(lines.at(-1)!) as ChainEvent;
    const extra = makeEvent('export.call', { export: 'increment', params: { by: 1000 } }, head.hash);
    await writeFile(path, `${original}${JSON.stringify({ data: extra.data, hash: extra.hash, parentHash: extra.parentHash, type: extra.type })}\n`);
    expect(await verifyChainFile(path)).toMatchObject({ ok: true, length: length + 1 });
    expect(await t.registry.executeCommand('theater.verify', { actorId })).toMatchObject({ ok: false, index: length, hash: extra.hash });
    await writeFile(path, original);
    expect(await t.registry.executeCommand('theater.verify', { actorId })).toMatchObject({ ok: true, length });
  });

  it('replay reproduces every hash of a recorded run', async () => {
    const { actorId } = await recordedCounter();
    const events = await t.theater.runtime.chain(actorId);
    const { module, hash } = await new ModuleCache().load(wasmOf('counter'));
    expect(await replayChain(events, { module, moduleHash: hash })).toEqual({ ok: true, events: events.length, head: events.at(-1)!.hash });
    expect(await t.registry.executeCommand('theater.replay', { actorId })).toMatchObject({ ok: true, events: events.length });
  });

  it('replay reproduces a run with a trap and a restart', async () => {
    const child = await t.theater.runtime.spawn({ manifest: manifestOf('crasher'), restart: { policy: 'on-failure' } });
    await expect(t.theater.runtime.call(child.actorId, 'crash', {})).rejects.toMatchObject({ reason: 'trap' });
    await t.theater.runtime.call(child.actorId, 'ping', {});
    const events = await t.theater.runtime.chain(child.actorId);
    expect(events.map((e) => e.type)).toContain('actor.restart');
    expect(await t.registry.executeCommand('theater.replay', { actorId: child.actorId })).toMatchObject({ ok: true, events: events.length });
  });

  it('replay fails at the first event the actor does not reproduce, even on a chain that verifies', async () => {
    const { actorId } = await recordedCounter();
    const events = await t.theater.runtime.chain(actorId);
    // Forge the first increment's result (103 -> 999) and re-hash the chain so every link still verifies.
    const forged: ChainEvent[] = [];
    for (const event of events) {
      let data = event.data;
      if (forged.length === 2) data = { ...(data as object), state: { count: 999 }, result: 999 };
      forged.push(makeEvent(event.type, data, forged.at(-1)?.hash ?? null));
    }
    const { module, hash } = await new ModuleCache().load(wasmOf('counter'));
    const result = await replayChain(forged, { module, moduleHash: hash });
    expect(result).toMatchObject({ ok: false, index: 2, expected: forged[2]!.hash, actual: events[2]!.hash });

    const other = await new ModuleCache().load(wasmOf('crasher'));
    expect(await replayChain(events, { module: other.module, moduleHash: other.hash })).toMatchObject({ ok: false, index: 0 });
  });
});
