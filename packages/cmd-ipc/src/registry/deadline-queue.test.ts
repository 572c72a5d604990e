import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue, type DeadlineEntry } from './deadline-queue.js';

function entry(log: string[], name: string): DeadlineEntry {
  return { expiresAt: 0, queuePrev: undefined, queueNext: undefined, queueList: undefined, onDeadline: () => log.push(`${name}@${Date.now()}`) };
}

describe('DeadlineQueue', () => {
  beforeEach(() => {
    // A fake clock makes the expiry times exact; the queue itself is the real code.
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires entries exactly at their TTL, in order, across different TTLs', () => {
    const log: string[] = [];
    const queue = new DeadlineQueue();
    queue.add(entry(log, 'slow'), 300);
    queue.add(entry(log, 'fast'), 100);
    vi.advanceTimersByTime(50);
    queue.add(entry(log, 'fast2'), 100);
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['fast@100', 'fast2@150', 'slow@300']);
    expect(queue.size).toBe(0);
  });

  it('removed entries never expire; removal is idempotent', () => {
    const log: string[] = [];
    const queue = new DeadlineQueue();
    const a = entry(log, 'a');
    const b = entry(log, 'b');
    const c = entry(log, 'c');
    queue.add(a, 100);
    queue.add(b, 100);
    queue.add(c, 100);
    expect(queue.remove(b)).toBe(true);
    expect(queue.remove(b)).toBe(false);
    expect(queue.remove(a)).toBe(true);
    vi.advanceTimersByTime(200);
    expect(log).toEqual(['c@100']);
  });

  it('uses a single timer however many entries are queued, and clear() stops it', () => {
    const log: string[] = [];
    const queue = new DeadlineQueue();
    for (let i = 0; i < 10_000; i++) queue.add(entry(log, `e${i}`), 1000);
    expect(vi.getTimerCount()).toBe(1);
    expect(queue.clear()).toHaveLength(10_000);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2000);
    expect(log).toEqual([]);
  });
});
