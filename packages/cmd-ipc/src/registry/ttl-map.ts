import { DeadlineQueue, type DeadlineEntry } from './deadline-queue.js';

class TtlEntry<K, V> implements DeadlineEntry {
  expiresAt = 0;
  queuePrev: DeadlineEntry | undefined = undefined;
  queueNext: DeadlineEntry | undefined = undefined;
  queueList: DeadlineEntry['queueList'] = undefined;

  constructor(
    readonly key: K,
    readonly value: V,
    private readonly owner: TtlMap<K, V>,
  ) {}

  onDeadline(): void {
    this.owner.expire(this);
  }
}

/**
 * A map whose entries expire after a per-entry TTL, with one timer for the whole map.
 *
 * Entries live in a Map for lookup and in a DeadlineQueue for expiry: same-TTL entries expire in insertion
 * order, so set and delete are O(1) with no timer per entry, and an entry expires no earlier than its TTL
 * and at most `resolutionMs` (plus timer lag) after it — close to the TTL, never at twice it.
 */
export class TtlMap<K, V> {
  private readonly entries = new Map<K, TtlEntry<K, V>>();
  private readonly queue: DeadlineQueue;

  constructor(
    private readonly onExpire: (key: K, value: V) => void,
    resolutionMs = 10,
  ) {
    this.queue = new DeadlineQueue(resolutionMs);
  }

  /** Number of live entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Stores `value` under `key` for `ttlMs`, replacing (and re-timing) an existing entry. */
  set(key: K, value: V, ttlMs: number): void {
    const previous = this.entries.get(key);
    if (previous) this.queue.remove(previous);
    const entry = new TtlEntry(key, value, this);
    this.entries.set(key, entry);
    this.queue.add(entry, ttlMs);
  }

  /** Returns the value under `key`, if live. */
  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** True when `key` is live. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Removes `key` without calling `onExpire`; returns its value if it was live. */
  delete(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.queue.remove(entry);
    return entry.value;
  }

  /** Iterates the live entries. */
  *[Symbol.iterator](): IterableIterator<[K, V]> {
    for (const [key, entry] of this.entries) yield [key, entry.value];
  }

  /** Removes every entry without calling `onExpire` and stops the timer; returns the removed values. */
  clear(): V[] {
    const values = [...this.entries.values()].map((entry) => entry.value);
    this.entries.clear();
    this.queue.clear();
    return values;
  }

  /** @internal Called by an entry whose deadline passed. */
  expire(entry: TtlEntry<K, V>): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    this.onExpire(entry.key, entry.value);
  }
}
