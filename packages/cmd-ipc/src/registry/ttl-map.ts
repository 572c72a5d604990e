/**
 * A map whose entries expire after a per-entry TTL, with one timer for the whole map.
 *
 * Entries are grouped into time buckets of `resolutionMs`; the single timer is armed for the earliest
 * bucket. An entry expires no earlier than its TTL and at most one resolution step (plus timer lag)
 * after it, so expiry stays close to the TTL instead of drifting to twice it, and a call costs a Map
 * and Set insert rather than a timer of its own.
 */
export class TtlMap<K, V> {
  private readonly entries = new Map<K, { value: V; bucket: number }>();
  // Empty buckets stay until their time comes, so a busy bucket is pushed on the heap only once.
  private readonly buckets = new Map<number, Set<K>>();
  private readonly heap: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedBucket = Infinity;

  constructor(
    private readonly onExpire: (key: K, value: V) => void,
    private readonly resolutionMs = 10,
  ) {}

  /** Number of live entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Stores `value` under `key` for `ttlMs`, replacing (and re-timing) an existing entry. */
  set(key: K, value: V, ttlMs: number): void {
    const bucket = Math.ceil((Date.now() + Math.max(0, ttlMs)) / this.resolutionMs);
    const previous = this.entries.get(key);
    if (previous) this.buckets.get(previous.bucket)?.delete(key);
    this.entries.set(key, { value, bucket });
    let keys = this.buckets.get(bucket);
    if (!keys) {
      keys = new Set();
      this.buckets.set(bucket, keys);
      this.heapPush(bucket);
    }
    keys.add(key);
    if (bucket < this.armedBucket) this.arm(bucket);
    else if (this.entries.size === 1) this.timer?.ref();
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
    this.buckets.get(entry.bucket)?.delete(key);
    // An idle map must not keep the process alive.
    if (this.entries.size === 0) this.timer?.unref();
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
    this.buckets.clear();
    this.heap.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedBucket = Infinity;
    return values;
  }

  private arm(bucket: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedBucket = bucket;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, bucket * this.resolutionMs - Date.now()));
    if (this.entries.size === 0) this.timer.unref();
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedBucket = Infinity;
    const now = Date.now();
    while (this.heap.length > 0 && this.heap[0]! * this.resolutionMs <= now) {
      const bucket = this.heapPop();
      const keys = this.buckets.get(bucket);
      if (!keys) continue;
      this.buckets.delete(bucket);
      for (const key of keys) {
        const entry = this.entries.get(key);
        if (!entry || entry.bucket !== bucket) continue;
        this.entries.delete(key);
        this.onExpire(key, entry.value);
      }
    }
    if (this.heap.length > 0) this.arm(this.heap[0]!);
  }

  private heapPush(value: number): void {
    const heap = this.heap;
    heap.push(value);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= value) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = value;
  }

  private heapPop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
        if (heap[child]! >= last) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
