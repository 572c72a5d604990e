import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestOf, startTheater, wasmOf, type TestTheater } from './helpers.js';

describe('capabilities', () => {
  let t: TestTheater;
  beforeEach(async () => {
    t = await startTheater();
  });
  afterEach(async () => {
    await t.close();
  });

  /** Writes a manifest for a shipped module with only the given handlers granted. */
  async function manifestGranting(actor: string, handlers: string[]): Promise<string> {
    const path = join(t.dataDir, `${actor}-limited.toml`);
    const grants = handlers.map((type) => `[[handlers]]\ntype = "${type}"\n`).join('\n');
    await writeFile(path, `name = "${actor}-limited"\npackage = ${JSON.stringify(wasmOf(actor))}\n\n${grants}`);
    return path;
  }

  it('refuses at spawn a module importing an interface its manifest does not grant, naming the import', async () => {
    const manifest = await manifestGranting('counter', ['runtime']);
    await expect(t.registry.executeCommand('theater.spawn', { manifest })).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('imports theater:simple/message-server-host.request but its manifest does not grant handler "message-server"'),
    });
    // Nothing ran and nothing was left behind.
    expect(t.theater.runtime.list()).toEqual([]);
    expect(t.registry.listCommands().filter((c) => c.id.startsWith('actor.'))).toEqual([]);
  });

  it('names the tcp import of the echo actor when tcp is not granted', async () => {
    const manifest = await manifestGranting('echo', ['runtime']);
    await expect(t.theater.runtime.spawn({ manifest })).rejects.toMatchObject({
      reason: 'capability_denied',
      message: expect.stringMatching(/imports theater:simple\/tcp\.(send|listen|close-listener|activate) but its manifest does not grant handler "tcp"/),
    });
  });

  it('spawns the same module once the manifest grants what it imports', async () => {
    const manifest = await manifestGranting('counter', ['runtime', 'message-server']);
    const info = await t.theater.runtime.spawn({ manifest });
    expect(info.status).toBe('running');
  });

  it('refuses a child that would hold a handler its supervisor lacks', async () => {
    // The supervisor may spawn only children whose grants are a subset of its own (runtime, supervisor).
    const path = join(t.dataDir, 'greedy-supervisor.toml');
    await writeFile(
      path,
      `name = "greedy"\npackage = ${JSON.stringify(wasmOf('supervisor'))}\n[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "supervisor"\n`,
    );
    await expect(
      t.theater.runtime.spawn({ manifest: path, params: { manifest: manifestOf('counter') } }),
    ).rejects.toMatchObject({ message: expect.stringContaining('grants handler "message-server", which greedy lacks') });
  });

  it('refuses host commands called from outside the runtime (they act on the calling actor)', async () => {
    await expect(t.registry.executeCommand('_theater.runtime.self', {})).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('serves this runtime\'s actors only'),
    });
  });

  /** Writes `<name>.toml` in the data directory for a shipped module, with raw TOML handler entries. */
  async function writeManifest(name: string, actor: string, handlers: string): Promise<string> {
    const path = join(t.dataDir, `${name}.toml`);
    await writeFile(path, `name = "${name}"\npackage = ${JSON.stringify(wasmOf(actor))}\n\n${handlers}`);
    return path;
  }

  /** A supervisor actor (already running, with one crasher child) that may spawn only `allowed`, plus the given extra grants. */
  async function restrictedSupervisor(allowed: string[], extra = ''): Promise<string> {
    const manifests = JSON.stringify([manifestOf('crasher'), ...allowed]);
    const path = await writeManifest(
      'restricted',
      'supervisor',
      `[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "supervisor"\nmanifests = ${manifests}\n${extra}`,
    );
    const { actorId } = await t.theater.runtime.spawn({ manifest: path, params: { manifest: manifestOf('crasher') } });
    return actorId;
  }

  it('refuses a child whose supervisor grant is wider than its parent\'s allow-list', async () => {
    // `mid` may spawn any manifest; its parent may spawn only crasher and mid.
    const mid = await writeManifest('mid', 'supervisor', '[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "supervisor"\n');
    const outside = await writeManifest('outside', 'crasher', '[[handlers]]\ntype = "runtime"\n');
    const parentId = await restrictedSupervisor([mid]);
    const spawn = t.registry.executeCommand(
      '_theater.supervisor.spawn',
      { manifest: mid, params: { manifest: outside } },
      { caller: t.theater.runtime.callerOf(parentId) },
    );
    // Before the fix `mid` started and spawned `outside`, a manifest its parent could never spawn.
    await expect(spawn).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('may not spawn mid: its supervisor grant may spawn manifests restricted may not'),
    });
    expect(t.theater.runtime.list().map((a) => a.name).sort()).toEqual(['crasher', 'restricted']);
  });

  it('allows a child whose supervisor allow-list is within its parent\'s', async () => {
    const outside = await writeManifest('outside', 'crasher', '[[handlers]]\ntype = "runtime"\n');
    const mid = await writeManifest(
      'mid',
      'supervisor',
      `[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "supervisor"\nmanifests = ${JSON.stringify([outside])}\n`,
    );
    const parentId = await restrictedSupervisor([mid, outside]);
    const { actorId } = (await t.registry.executeCommand(
      '_theater.supervisor.spawn',
      { manifest: mid, params: { manifest: outside } },
      { caller: t.theater.runtime.callerOf(parentId) },
    )) as { actorId: string };
    expect(t.theater.runtime.info(actorId).children).toHaveLength(1);
  });

  it('refuses a child whose timer may tick faster than its parent\'s', async () => {
    const fast = await writeManifest(
      'fast',
      'ticker',
      '[[handlers]]\ntype = "runtime"\n[[handlers]]\ntype = "timer"\nmin-interval-ms = 5\n[[handlers]]\ntype = "store"\n',
    );
    const parentId = await restrictedSupervisor([fast], '[[handlers]]\ntype = "timer"\nmin-interval-ms = 500\n[[handlers]]\ntype = "store"\n');
    const spawn = t.registry.executeCommand(
      '_theater.supervisor.spawn',
      { manifest: fast, params: { intervalMs: 5, target: 1_000_000 } },
      { caller: t.theater.runtime.callerOf(parentId) },
    );
    await expect(spawn).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('may not spawn fast: its timer minimum interval of 5 ms is below restricted\'s 500 ms'),
    });
  });
});
