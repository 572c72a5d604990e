/** Most latency samples kept per phase; calls are sampled (one in `every`) to stay under it. */
const CAPACITY = 1 << 17;

/** Records call latencies (in ms, from performance.now) for one phase and reports percentiles. */
export class LatencyRecorder {
  private readonly samples = new Float64Array(CAPACITY);
  private length = 0;

  /** `every`: sample one call in this many; a power of two, so the check is a mask. */
  constructor(readonly every: number) {}

  /** True when call number `index` should be timed. */
  shouldSample(index: number): boolean {
    return (index & (this.every - 1)) === 0;
  }

  /** Records one latency in ms; samples past the capacity are dropped (the count bound keeps that rare). */
  add(ms: number): void {
    if (this.length < CAPACITY) this.samples[this.length++] = ms;
  }

  /** The p-th percentile (0-100) in microseconds, or undefined with no samples. */
  percentileUs(p: number): number | undefined {
    if (this.length === 0) return undefined;
    const sorted = this.samples.subarray(0, this.length).sort();
    const rank = Math.min(this.length - 1, Math.max(0, Math.ceil((p / 100) * this.length) - 1));
    return sorted[rank]! * 1000;
  }
}

/**
 * Picks how often to sample so a phase expected to make `expectedCalls` keeps about 50k samples:
 * timing every call of a 3M calls/s in-process loop would measure the clock, not the call.
 */
export function sampleEveryFor(expectedCalls: number): number {
  const wanted = Math.max(1, Math.ceil(expectedCalls / 50_000));
  let every = 1;
  while (every < wanted) every *= 2;
  return every;
}
