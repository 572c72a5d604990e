/**
 * The demo end to end, as a person runs it: the whole scenario across real processes must exit 0 and
 * tell the story; a mesh that breaks mid-way must exit non-zero naming the step; Ctrl-C must stop it;
 * and in every case no process of the mesh may be left running.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_MAIN, SOURCE_MAIN, finished, isAlive, meshPids, startDemo } from './demo-process.js';

/** Asserts the story of a successful run. */
function expectTheStory(output: string): void {
  for (let step = 1; step <= 11; step++) expect(output).toContain(`[${step}/11] `);
  expect(output).toMatch(/live view http:\/\/127\.0\.0\.1:\d+\//);
  expect(output).toMatch(/tcp-node\s+tcp\.listen\s/);
  expect(output).toMatch(/actor-node\s+theater\.spawn\s/);
  expect(output).toContain('client 1 sent "hello, actor"              → got back "hello, actor\\n"');
  expect(output).toContain('theater.state → {"count":10}');
  expect(output).toMatch(/tcp-node\s+\d+\s+.*tcp\.connection\.opened/);
  expect(output).toMatch(/actor-node\s+\d+\s+.*theater\.actor\.started/);
  expect(output).toMatch(/theater\.verify → ok: all \d+ hashes and parent links recomputed/);
  expect(output).toContain('hub → event cmd-ipc.channel.closed: tcp:actor-node#');
  expect(output).toContain('theater.list → not_found');
  expect(output).toContain('a new TCP client sent "are you back?" → got back "are you back?\\n"');
  expect(output).toMatch(/\$ cmd-ipc exec actor\.counter-[0-9a-f]+\.increment '\{"by":7\}'.*\n\s+7\n/);
  expect(output).toMatch(/demo finished: every step did what it said \(\d+\.\d s\)/);
  expect(output).not.toContain('FAILED');
}

describe('npm run demo', () => {
  it('plays the whole scenario across real processes and exits 0 (from source)', async () => {
    const run = startDemo(SOURCE_MAIN);
    const { code } = await finished(run, 170_000);
    const output = run.output();
    expect(code, output).toBe(0);
    expectTheStory(output);
    const pids = meshPids(output);
    expect(pids.length).toBe(4);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 180_000);

  // turbo builds every package before it tests one, so under `npm test` the build is always there;
  // a bare `vitest run` on a fresh clone has no build to run, and the source run above covers the code.
  it.skipIf(!existsSync(BUILT_MAIN))('plays the whole scenario from the build, as `npm run demo` runs it', async () => {
    const run = startDemo(BUILT_MAIN);
    const { code } = await finished(run, 170_000);
    expect(code, run.output()).toBe(0);
    expectTheStory(run.output());
  }, 180_000);

  it('exits non-zero naming the failing step when the hub dies mid-scenario, and leaves nothing running', async () => {
    // Long enough for a loaded machine to start the hub; once the hub is dead, step 2 fails within it.
    const run = startDemo(SOURCE_MAIN, ['--step-timeout', '15000']);
    await run.waitFor('[2/11]', 90_000);
    const hubPid = Number(/hub pid (\d+)/.exec(run.output())![1]);
    process.kill(hubPid, 'SIGKILL');
    const { code } = await finished(run, 120_000);
    const output = run.output();
    expect(code, output).toBe(1);
    expect(output).toMatch(/demo FAILED at step ([2-9]|1[01])\/11 "[^"]+": \S/);
    expect(output).toContain('✗ FAILED after');
    expect(output).toContain(`note: hub (pid ${hubPid}) exited by itself: signal SIGKILL`);
    expect(meshPids(output).filter(isAlive)).toEqual([]);
  }, 150_000);

  it('stops every process of the mesh on Ctrl-C (SIGINT) and exits 130', async () => {
    const run = startDemo(SOURCE_MAIN);
    await run.waitFor('[4/11]', 90_000);
    run.child.kill('SIGINT');
    const { code } = await finished(run, 30_000);
    const output = run.output();
    expect(code, output).toBe(130);
    expect(output).toContain('SIGINT: interrupted; stopping every process of the mesh');
    const pids = meshPids(output);
    expect(pids.length).toBe(3);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 120_000);

  it('leaves nothing running even when the demo itself is killed with SIGKILL', async () => {
    const run = startDemo(SOURCE_MAIN);
    await run.waitFor('[4/11]', 90_000);
    const pids = meshPids(run.output());
    expect(pids.length).toBe(3);
    run.child.kill('SIGKILL');
    await finished(run, 10_000);
    // Nothing signals this process when unrelated processes exit, so their end is polled, within a bound.
    const deadline = Date.now() + 15_000;
    while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(isAlive)).toEqual([]);
  }, 120_000);
});
