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
});
