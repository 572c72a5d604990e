import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/channels/net/backoff.js';
import { Heartbeat } from '../../src/channels/net/heartbeat.js';

describe('reconnect backoff', () => {
  it('grows exponentially from the initial delay up to the cap, with jitter taking up to its fraction off', () => {
    // random() = 0 gives the full delay, 1 the most jitter can take off.
    const full = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 }, () => 0);
    expect(Array.from({ length: 6 }, () => full.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    const jittered = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 }, () => 1);
    expect(Array.from({ length: 6 }, () => jittered.next())).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('starts over after reset and stops allowing attempts after maxAttempts failures', () => {
    const backoff = new Backoff({ initialDelayMs: 10, maxAttempts: 2 }, () => 0);
    backoff.next();
    expect(backoff.canRetry).toBe(true);
    backoff.next();
    expect(backoff.canRetry).toBe(false);
    backoff.reset();
    expect(backoff.canRetry).toBe(true);
    expect(backoff.next()).toBe(10);
  });

  it('rejects settings that cannot work', () => {
    expect(() => new Backoff({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(RangeError);
    expect(() => new Heartbeat({ intervalMs: 1000, timeoutMs: 500 }, { ping: () => undefined, dead: () => undefined })).toThrow(/intervalMs < timeoutMs/);
  });
});
