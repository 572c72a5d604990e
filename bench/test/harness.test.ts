import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../src/cli/options.js';
import { LatencyRecorder, sampleEveryFor } from '../src/harness/latency.js';
import { runPhase } from '../src/harness/measure.js';
import { selectScenarios } from '../src/scenarios/catalog.js';

describe('runPhase', () => {
  it('keeps exactly `lanes` calls in flight and stops at the call bound', async () => {
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const target = async (): Promise<void> => {
      calls++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    };
    const stats = await runPhase(target, { durationMs: 30_000, maxCalls: 1000, lanes: 8, sampleEvery: 1 });
    expect(stats.count).toBe(1000);
    expect(calls).toBe(1000);
    expect(peak).toBe(8);
    expect(stats.p50Us).toBeGreaterThan(0);
  });

  it('stops at the time bound when the call bound is far away', async () => {
    const stats = await runPhase(() => new Promise((resolve) => setTimeout(resolve, 1)), {
      durationMs: 50,
      maxCalls: 1_000_000,
      lanes: 1,
      sampleEvery: 1,
    });
    expect(stats.count).toBeLessThan(1_000_000);
    expect(stats.seconds).toBeGreaterThanOrEqual(0.05);
  });
});

describe('LatencyRecorder', () => {
  it('reports nearest-rank percentiles in microseconds', () => {
    const recorder = new LatencyRecorder(1);
    for (let ms = 100; ms >= 1; ms--) recorder.add(ms / 1000);
    expect(recorder.percentileUs(50)).toBeCloseTo(50, 6);
    expect(recorder.percentileUs(99)).toBeCloseTo(99, 6);
    expect(new LatencyRecorder(1).percentileUs(50)).toBeUndefined();
  });

  it('samples one call in a power of two, about 50k samples per phase', () => {
    expect(sampleEveryFor(10_000)).toBe(1);
    expect(sampleEveryFor(100_000)).toBe(2);
    expect(sampleEveryFor(3_000_000)).toBe(64);
    const recorder = new LatencyRecorder(4);
    expect([0, 1, 2, 3, 4, 8].map((i) => recorder.shouldSample(i))).toEqual([true, false, false, false, true, true]);
  });
});

describe('command line', () => {
  it('parses the options', () => {
    expect(parseOptions(['--quick', '--only', 'ws,tcp', '--only=nats', '--json', '--out', 'x.json'])).toMatchObject({
      quick: true,
      json: true,
      only: ['ws,tcp', 'nats'],
      out: 'x.json',
    });
    expect(() => parseOptions(['--only'])).toThrow(UsageError);
  });

  it('selects scenarios by substring, comma-separated or repeated', () => {
    expect(selectScenarios([]).length).toBeGreaterThan(10);
    expect(selectScenarios(['websocket,nats']).map((s) => s.id)).toEqual(['websocket', 'nats']);
    expect(selectScenarios(['tcp']).map((s) => s.id)).toEqual(['tcp', 'tcp-handler']);
    expect(selectScenarios(['nothing-like-this'])).toEqual([]);
  });
});
