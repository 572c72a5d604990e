import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TtlMap } from './ttl-map.js';

describe('TtlMap', () => {
  beforeEach(() => {
    // A fake clock, not a fake part: it makes "expires no earlier than its TTL and within one step after" exact.
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires an entry no earlier than its TTL and at most one resolution step after it', () => {
    const expired: Array<[string, number]> = [];
    const map = new TtlMap<string, number>((key) => expired.push([key, Date.now()]), 10);
    const start = Date.now();
    map.set('a', 1, 1000);
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    expect(map.get('a')).toBe(1);
    vi.advanceTimersByTime(11);
    expect(expired).toHaveLength(1);
    expect(expired[0]![1] - start).toBeGreaterThanOrEqual(1000);
    expect(expired[0]![1] - start).toBeLessThanOrEqual(1010);
    expect(map.has('a')).toBe(false);
  });

  it('uses one timer for many entries and re-arms for an earlier entry', () => {
    const expired: string[] = [];
    const map = new TtlMap<string, number>((key) => expired.push(key), 10);
    for (let i = 0; i < 1000; i++) map.set(`k${i}`, i, 30_000);
    expect(vi.getTimerCount()).toBe(1);
    map.set('early', 0, 50);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(60);
    expect(expired).toEqual(['early']);
    vi.advanceTimersByTime(30_000);
    expect(expired).toHaveLength(1001);
    expect(map.size).toBe(0);
  });

  it('delete removes without expiring; set on an existing key re-times it', () => {
    const expired: string[] = [];
    const map = new TtlMap<string, number>((key) => expired.push(key), 10);
    map.set('gone', 1, 100);
    map.set('moved', 2, 100);
    expect(map.delete('gone')).toBe(1);
    expect(map.delete('gone')).toBeUndefined();
    map.set('moved', 3, 500);
    vi.advanceTimersByTime(200);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(expired).toEqual(['moved']);
  });

  it('clear returns the live values and stops the timer', () => {
    const map = new TtlMap<string, number>(() => {
      throw new Error('must not expire after clear');
    });
    map.set('a', 1, 100);
    map.set('b', 2, 200);
    expect(map.clear().sort()).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(map.size).toBe(0);
  });

  it('a million set/delete pairs leave nothing behind and use one timer', () => {
    const map = new TtlMap<number, number>(() => {}, 10);
    for (let i = 0; i < 1_000_000; i++) {
      map.set(i, i, 30_000);
      map.delete(i);
    }
    expect(map.size).toBe(0);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
  });
});
