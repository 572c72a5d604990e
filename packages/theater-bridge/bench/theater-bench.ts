/**
 * Theater benchmark: spawn time and the calls per second one actor sustains.
 *
 * Runs against the built package (dist/), so actor workers start as plain JavaScript, as they do in
 * production. Every loop is bounded in count and in time.
 *
 *   npm run bench            (builds first)
 *   SPAWNS=30 CALL_SECONDS=3 npm run bench
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommandRegistry } from 'cmd-ipc';
import { createTheater } from '../dist/index.js';

const SPAWNS = Number(process.env.SPAWNS ?? 20);
const CALL_SECONDS = Number(process.env.CALL_SECONDS ?? 3);
const MAX_CALLS = Number(process.env.MAX_CALLS ?? 300_000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 64);
const counterManifest = fileURLToPath(new URL('../actors/counter/counter.toml', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `call` one at a time (or `inFlight` at a time) until the count or time bound; returns calls/s. */
async function rate(call: () => Promise<unknown>, inFlight: number): Promise<{ calls: number; perSecond: number }> {
  const deadline = performance.now() + CALL_SECONDS * 1000;
  const started = performance.now();
  let calls = 0;
  const lane = async (): Promise<void> => {
    while (calls < MAX_CALLS && performance.now() < deadline) {
      calls++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { calls, perSecond: Math.round(calls / seconds) };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'theater-bench-'));
  const registry = new CommandRegistry({ id: 'bench' });
  const theater = await createTheater({ registry, dataDir });
  try {
    // Spawn time: manifest read + (cached) module + worker thread + instantiation, until the actor answers.
    const first = performance.now();
    const warm = await theater.runtime.spawn({ manifest: counterManifest });
    const firstMs = performance.now() - first;
    await theater.runtime.stop(warm.actorId);
    const spawnMs: number[] = [];
    for (let i = 0; i < SPAWNS; i++) {
      const t0 = performance.now();
      const { actorId } = await theater.runtime.spawn({ manifest: counterManifest });
      spawnMs.push(performance.now() - t0);
      await theater.runtime.stop(actorId);
    }

    const { actorId } = await theater.runtime.spawn({ manifest: counterManifest });
    const command = `actor.${actorId}.increment`;
    const sequential = await rate(() => registry.executeCommand(command, { by: 1 }), 1);
    const pipelined = await rate(() => registry.executeCommand(command, { by: 1 }), IN_FLIGHT);
    const hostCalls = await rate(() => registry.executeCommand(`actor.${actorId}.note`, { message: 'x' }), 1);

    const results = {
      node: process.version,
      spawn: { firstMsIncludingCompile: +firstMs.toFixed(1), medianMs: +median(spawnMs).toFixed(1), n: SPAWNS },
      callsPerSecond: {
        sequential: sequential.perSecond,
        [`inFlight${IN_FLIGHT}`]: pipelined.perSecond,
        withOneHostCallSequential: hostCalls.perSecond,
      },
      chainEvents: theater.runtime.info(actorId).chainLength,
    };
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await theater.dispose();
    await registry.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
