import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createTheater, type Theater } from '@cmd-ipc/theater-bridge';
import { CommandRegistry } from 'cmd-ipc';
import { compareModes } from '../harness/compare.js';
import { measurePaths } from '../harness/measure.js';
import { type Endpoint, type ScenarioContext, type ScenarioOutcome } from '../harness/scenario.js';
import type { SoloFigure } from '../harness/types.js';
import { rawWorker } from '../transports/worker.js';

/** The shipped counter actor's manifest (its wasm is built by the theater-bridge package's build). */
function counterManifest(): string {
  return fileURLToPath(new URL('../actors/counter/counter.toml', import.meta.resolve('@cmd-ipc/theater-bridge')));
}

function counterWasm(): string {
  return fileURLToPath(new URL('../actors/dist/counter.wasm', import.meta.resolve('@cmd-ipc/theater-bridge')));
}

/** Spawns and stops the counter actor repeatedly (bounded in count and time); returns spawn times in ms. */
async function spawnTimes(theater: Theater, manifest: string, count: number, maxMs: number): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + maxMs;
  while (times.length < count && performance.now() < end) {
    const start = performance.now();
    const { actorId } = await theater.runtime.spawn({ manifest });
    times.push(performance.now() - start);
    await theater.runtime.stop(actorId, 'bench spawn timing done');
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Actors: calls into one counter actor (a WebAssembly module in its own worker thread) through
 * executeCommand, against a bare postMessage echo to a worker thread; and the time to spawn one.
 */
export async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const manifest = counterManifest();
  if (!existsSync(counterWasm())) {
    return { status: 'unavailable', comparisons: [], note: `not available yet: ${counterWasm()} is not built (run the theater-bridge build)` };
  }
  const registry = new CommandRegistry({ id: 'bench' });
  const theater = await createTheater({ registry, bridge: false });
  let floor: Endpoint | undefined;
  try {
    context.progress('timing spawns of the counter actor');
    const spawns = await spawnTimes(theater, manifest, context.budget.phaseMs > 1000 ? 20 : 3, context.budget.phaseMs * 2);
    const { actorId } = await theater.runtime.spawn({ manifest });
    const command = `actor.${actorId}.get`;
    floor = await rawWorker();
    const ours = { label: 'executeCommand → actor export', call: () => registry.executeCommand(command) };
    const [floorStats, oursStats] = await measurePaths([{ label: floor.label, call: floor.call }, ours], context.budget, context.progress);
    const figures: SoloFigure[] = [
      { name: `actor spawn time, median of ${spawns.length}`, value: median(spawns), unit: 'ms' },
      { name: 'actor spawn time, slowest', value: Math.max(...spawns), unit: 'ms' },
    ];
    return {
      status: 'ok',
      comparisons: compareModes('actor (counter.get)', { floor: floor.label, ours: ours.label }, floorStats!, oursStats!, context.budget),
      figures,
      note: 'In-process registry with a theater (chains in memory). Ours: executeCommand of the counter actor\'s `get` export, which runs the wasm in the actor\'s worker thread (one call at a time per actor). Floor: postMessage echo to a bare worker thread. Spawn time: runtime.spawn of the counter manifest until init returned, then stop.',
    };
  } finally {
    await floor?.close();
    await theater.dispose();
    await registry.dispose();
  }
}
