import { performance } from 'node:perf_hooks';
import type { Budget } from './budget.js';
import { LatencyRecorder, sampleEveryFor } from './latency.js';
import type { PhaseStats } from './types.js';

/**
 * Something to call in a loop. `lane` is the index of the concurrent loop making the call (always 0
 * when sequential), for paths that need one connection per call in flight.
 */
export type CallTarget = (lane: number) => Promise<unknown>;

/** Runs the global gc when the process was started with --expose-gc, so one phase's garbage is not billed to the next. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Bounds of one phase. */
export interface PhaseBounds {
  durationMs: number;
  maxCalls: number;
  /** Loops running at once; 1 is sequential. */
  lanes: number;
  /** Time one call in this many. */
  sampleEvery: number;
}

/**
 * Runs `lanes` loops, each awaiting one call after another, until the time or the call count runs
 * out. With one lane that is sequential calls; with 64 it keeps 64 calls in flight.
 */
export async function runPhase(target: CallTarget, bounds: PhaseBounds): Promise<PhaseStats> {
  const recorder = new LatencyRecorder(bounds.sampleEvery);
  const start = performance.now();
  const deadline = start + bounds.durationMs;
  let started = 0;
  let stop = false;

  const lane = async (index: number): Promise<void> => {
    let local = 0;
    while (!stop) {
      const number = started++;
      if (number >= bounds.maxCalls) {
        stop = true;
        break;
      }
      if (recorder.shouldSample(number)) {
        const before = performance.now();
        await target(index);
        const after = performance.now();
        recorder.add(after - before);
        if (after >= deadline) stop = true;
      } else {
        await target(index);
      }
      // Reading the clock costs about as much as a plain async call; check it every 16 calls.
      if ((++local & 15) === 0 && performance.now() >= deadline) stop = true;
    }
  };

  const lanes: Promise<void>[] = [];
  for (let i = 0; i < bounds.lanes; i++) lanes.push(lane(i));
  await Promise.all(lanes);
  const seconds = (performance.now() - start) / 1000;
  const count = Math.min(started, bounds.maxCalls);
  const stats: PhaseStats = { count, seconds, perSecond: count / seconds, sampleEvery: bounds.sampleEvery };
  const p50 = recorder.percentileUs(50);
  const p99 = recorder.percentileUs(99);
  if (p50 !== undefined) stats.p50Us = p50;
  if (p99 !== undefined) stats.p99Us = p99;
  return stats;
}

/** Warms a path up (JIT, buffers, connections) at full concurrency; returns its rate, used to pick sampling. */
export async function warmUp(target: CallTarget, budget: Budget): Promise<number> {
  const stats = await runPhase(target, { durationMs: budget.warmupMs, maxCalls: budget.maxCalls, lanes: budget.inFlight, sampleEvery: 1 << 30 });
  return stats.perSecond;
}

/** The sequential and concurrent figures of one path. */
export interface PathStats {
  sequential: PhaseStats;
  concurrent: PhaseStats;
}

/** A named path to measure: the floor or ours. */
export interface MeasuredPath {
  label: string;
  call: CallTarget;
}

/**
 * Measures several paths fairly: all are warmed up first, then the sequential phases run one path
 * after another, then the concurrent ones, so a burst of noise on a busy machine is less likely to hit
 * one path only. Calls `progress` before each phase.
 */
export async function measurePaths(paths: MeasuredPath[], budget: Budget, progress: (text: string) => void): Promise<PathStats[]> {
  const rates: number[] = [];
  for (const path of paths) {
    progress(`warm-up: ${path.label}`);
    rates.push(await warmUp(path.call, budget));
  }
  const sequential: PhaseStats[] = [];
  for (const [i, path] of paths.entries()) {
    progress(`sequential: ${path.label}`);
    collectGarbage();
    // A sequential loop runs slower than the warm-up's concurrent one; sample as if it ran at that rate anyway.
    const expected = (rates[i]! * budget.phaseMs) / 1000;
    sequential.push(await runPhase(path.call, { durationMs: budget.phaseMs, maxCalls: budget.maxCalls, lanes: 1, sampleEvery: sampleEveryFor(expected) }));
  }
  const concurrent: PhaseStats[] = [];
  for (const [i, path] of paths.entries()) {
    progress(`${budget.inFlight} in flight: ${path.label}`);
    collectGarbage();
    const expected = (rates[i]! * budget.phaseMs) / 1000;
    concurrent.push(
      await runPhase(path.call, { durationMs: budget.phaseMs, maxCalls: budget.maxCalls, lanes: budget.inFlight, sampleEvery: sampleEveryFor(expected) }),
    );
  }
  return paths.map((_, i) => ({ sequential: sequential[i]!, concurrent: concurrent[i]! }));
}
