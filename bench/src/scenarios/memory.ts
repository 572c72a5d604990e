import { performance } from 'node:perf_hooks';
import { collectGarbage, runPhase } from '../harness/measure.js';
import { ECHO_COMMAND, ECHO_REQUEST } from '../harness/payload.js';
import type { ScenarioContext, ScenarioOutcome } from '../harness/scenario.js';
import type { MemoryResult } from '../harness/types.js';
import { RSS_COMMAND } from '../peers/peer-support.js';
import { stopChild } from '../process/children.js';
import { startNetworkPeer } from '../transports/network-peer.js';
import { connectWebSocketRegistry } from '../transports/websocket.js';

const MAX_GROWTH_MB = 50;
const MB = 1024 * 1024;

function rssAfterGcMb(): number {
  collectGarbage();
  return process.memoryUsage().rss / MB;
}

function heapAfterGcMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / MB;
}

/**
 * Memory: RSS of the caller and of the serving peer, after gc, before and after (up to) 1,000,000
 * executeCommand calls over a WebSocket at 64 in flight, bounded in time.
 */
export async function run(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { budget } = context;
  const { child, port } = await startNetworkPeer({ transport: 'ws', mode: 'ours' });
  const { registry, client } = await connectWebSocketRegistry(port!, 'bench');
  try {
    await registry.waitForCommand(ECHO_COMMAND, { timeoutMs: 15_000 });
    const call = (): Promise<unknown> => registry.executeCommand(ECHO_COMMAND, ECHO_REQUEST);
    const peerRss = async (): Promise<number> => ((await registry.executeCommand(RSS_COMMAND)) as { rssMb: number }).rssMb;

    context.progress('warm-up');
    await runPhase(call, { durationMs: Math.max(budget.warmupMs, 1000), maxCalls: 50_000, lanes: budget.inFlight, sampleEvery: 1 << 30 });
    const rssBeforeMb = rssAfterGcMb();
    const peerRssBeforeMb = await peerRss();

    // Ten slices, so the heap can be sampled (after gc) at each tenth: flat, not just equal at both ends.
    const heapSamplesMb = [heapAfterGcMb()];
    const start = performance.now();
    const deadline = start + budget.memoryMaxMs;
    let calls = 0;
    for (let slice = 1; slice <= 10; slice++) {
      const remainingMs = deadline - performance.now();
      if (remainingMs <= 0) break;
      const target = Math.round((budget.memoryCalls * slice) / 10) - calls;
      const stats = await runPhase(call, { durationMs: remainingMs, maxCalls: target, lanes: budget.inFlight, sampleEvery: 1 << 30 });
      calls += stats.count;
      heapSamplesMb.push(heapAfterGcMb());
      context.progress(`${calls.toLocaleString('en-US')} calls, heap ${heapSamplesMb.at(-1)!.toFixed(1)} MB`);
    }
    const seconds = (performance.now() - start) / 1000;
    const rssAfterMb = rssAfterGcMb();
    const peerRssAfterMb = await peerRss();
    const growthMb = rssAfterMb - rssBeforeMb;
    const peerGrowthMb = peerRssAfterMb - peerRssBeforeMb;
    const memory: MemoryResult = {
      requestedCalls: budget.memoryCalls,
      calls,
      seconds,
      inFlight: budget.inFlight,
      rssBeforeMb,
      rssAfterMb,
      growthMb,
      peerRssBeforeMb,
      peerRssAfterMb,
      peerGrowthMb,
      heapSamplesMb,
      target: {
        maxGrowthMb: MAX_GROWTH_MB,
        label: `≤ ${MAX_GROWTH_MB} MB growth (caller and peer)`,
        met: growthMb <= MAX_GROWTH_MB && peerGrowthMb <= MAX_GROWTH_MB,
      },
    };
    const shortfall = calls < budget.memoryCalls ? ` Only ${calls.toLocaleString('en-US')} of ${budget.memoryCalls.toLocaleString('en-US')} calls fit in the ${budget.memoryMaxMs / 1000} s bound.` : '';
    return {
      status: 'ok',
      comparisons: [],
      memory,
      note: `executeCommand over WebSocket to a peer process, ${budget.inFlight} in flight; RSS read after a full gc (--expose-gc) in both processes.${shortfall}`,
    };
  } finally {
    await registry.dispose();
    await client.close();
    await stopChild(child);
  }
}
