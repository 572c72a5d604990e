import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestOf, startTheater, waitForEvent, wasmOf, type TestTheater } from './helpers.js';

describe('per-call deadline', () => {
  let t: TestTheater;
  beforeEach(async () => {
    t = await startTheater();
  });
  afterEach(async () => {
    await t.close();
  });

  it('stops a runaway export at its deadline while another actor keeps answering', async () => {
    // A generous deadline, so the other actor's answers below certainly happen while the loop runs.
    const manifest = join(t.dataDir, 'runaway.toml');
    await writeFile(manifest, `name = "runaway"\npackage = ${JSON.stringify(wasmOf('runaway'))}\n[limits]\ncall-timeout-ms = 2000\n`);
    const runaway = await t.theater.runtime.spawn({ manifest });
    const counter = await t.theater.runtime.spawn({ manifest: manifestOf('counter') });
    const failed = waitForEvent<{ actorId: string; reason: string; restarting: boolean }>(
      t.registry,
      'theater.actor.failed',
      (p) => p.actorId === runaway.actorId,
    );

    let spinSettled = false;
    const spin = t.registry.executeCommand(`actor.${runaway.actorId}.spin`, {});
    spin.catch(() => {}).finally(() => (spinSettled = true));

    // The counter answers again and again while the runaway spins (bounded: at most 10 000 calls,
    // and no longer than the runaway's deadline).
    let answered = 0;
    let answeredDuringSpin = 0;
    while (answered < 10_000 && !spinSettled) {
      expect(await t.registry.executeCommand(`actor.${counter.actorId}.increment`, {})).toBe(++answered);
      if (!spinSettled) answeredDuringSpin++;
    }
    expect(answeredDuringSpin).toBeGreaterThan(0);

    await expect(spin).rejects.toMatchObject({
      code: 'timeout',
      message: `actor ${runaway.actorId} export spin exceeded its deadline of 2000 ms`,
    });
    expect(await failed).toMatchObject({ reason: 'deadline_exceeded', restarting: false });
    const status = t.theater.runtime.info(runaway.actorId);
    expect(status).toMatchObject({ status: 'failed', failures: 1, lastError: { reason: 'deadline_exceeded' } });
    const chain = await t.theater.runtime.chain(runaway.actorId);
    expect(chain.at(-1)).toMatchObject({ type: 'export.error', data: { export: 'spin', reason: 'deadline_exceeded' } });

    // The rest of the runtime keeps going.
    expect(await t.registry.executeCommand(`actor.${counter.actorId}.increment`, {})).toBe(answered + 1);
  });

  it("reports a child's deadline failure to its supervisor", async () => {
    const supervisorManifest = join(t.dataDir, 'supervisor.toml');
    await writeFile(
      supervisorManifest,
      `name = "supervisor"\npackage = ${JSON.stringify(wasmOf('supervisor'))}\n[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "supervisor"\n`,
    );
    const supervisor = await t.theater.runtime.spawn({
      manifest: supervisorManifest,
      params: { manifest: manifestOf('runaway'), restart: { policy: 'on-failure' } },
    });
    const childId = t.theater.runtime.info(supervisor.actorId).children[0]!;
    const restarted = waitForEvent<{ actorId: string; restart: boolean }>(t.registry, 'theater.actor.started', (p) => p.actorId === childId && p.restart);

    await expect(t.registry.executeCommand(`actor.${childId}.spin`, {})).rejects.toMatchObject({ code: 'timeout' });
    await restarted;
    // The notice was queued in the supervisor's mailbox before this call, which it serves in order.
    await t.registry.executeCommand(`actor.${supervisor.actorId}.children`, {});
    const { state } = (await t.registry.executeCommand('theater.state', { actorId: supervisor.actorId })) as {
      state: { notices: unknown[] };
    };
    expect(state.notices).toEqual([{ kind: 'error', childId, restarting: true }]);
    expect(await t.registry.executeCommand(`actor.${childId}.ping`, {})).toBe('pong');
  });
});
