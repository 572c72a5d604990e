/** An entry of a DeadlineQueue: the queue links entries through these fields, so adding one allocates nothing. */
export interface DeadlineEntry {
  expiresAt: number;
  /** The TTL asked for, kept until the entry's expiry is stamped. */
  queueTtl?: number;
  queuePrev: DeadlineEntry | undefined;
  queueNext: DeadlineEntry | undefined;
  queueList: FifoList | undefined;
  /** Called once when the entry's deadline passes while it is still queued. */
  onDeadline(): void;
}

interface FifoList {
  ttl: number;
  head: DeadlineEntry | undefined;
  tail: DeadlineEntry | undefined;
}

/**
 * Deadlines for in-flight work, with one timer and O(1) add and remove.
 *
 * Entries with the same TTL expire in the order they were added, so each TTL gets a FIFO list and only
 * list heads are ever examined. The timer is not cleared when the queue empties, so a steady stream of
 * short calls never pays for arming a timer per call; it is unref'd, so it never holds a process open.
 *
 * New entries first go on a "young" list and get their expiry stamped once per event-loop turn (in a
 * setImmediate), so adding and removing an entry reads no clock. Most entries (a call answered within the
 * turn) are gone before that. A stamped expiry is never earlier than the TTL asked for, and at most the
 * rest of the current turn later.
 */
export class DeadlineQueue {
  private readonly lists = new Map<number, FifoList>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private count = 0;
  private readonly young: FifoList = { ttl: -1, head: undefined, tail: undefined };
  private stamping: NodeJS.Immediate | undefined;

  /**
   * @param resolutionMs TTLs are rounded up to a multiple of this, so arbitrary TTLs (from deadlines) share a
   * few lists; an entry then expires up to this much after its exact TTL, never before it.
   */
  constructor(private readonly resolutionMs = 1) {}

  /** Entries queued. */
  get size(): number {
    return this.count;
  }

  /** Queues `entry` to expire `ttlMs` from now (stamped at the end of this turn). */
  add(entry: DeadlineEntry, ttlMs: number): void {
    entry.queueTtl = ttlMs;
    append(this.young, entry);
    this.count++;
    this.stamping ??= setImmediate(() => this.stampYoung()).unref();
  }

  /** Removes `entry` if queued; returns whether it was. */
  remove(entry: DeadlineEntry): boolean {
    const list = entry.queueList;
    if (!list) return false;
    unlink(list, entry);
    this.count--;
    return true;
  }

  /** Removes every entry without calling `onDeadline`; returns them. */
  clear(): DeadlineEntry[] {
    const out: DeadlineEntry[] = [];
    for (const list of [this.young, ...this.lists.values()]) {
      for (let entry = list.head; entry; ) {
        const next = entry.queueNext;
        entry.queueList = entry.queuePrev = entry.queueNext = undefined;
        out.push(entry);
        entry = next;
      }
    }
    this.lists.clear();
    this.young.head = this.young.tail = undefined;
    this.count = 0;
    if (this.stamping) clearImmediate(this.stamping);
    this.stamping = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    return out;
  }

  private stampYoung(): void {
    this.stamping = undefined;
    const now = Date.now();
    const step = this.resolutionMs;
    for (let entry = this.young.head; entry; entry = this.young.head) {
      unlink(this.young, entry);
      const ttlMs = entry.queueTtl ?? 0;
      const ttl = ttlMs <= 0 ? 0 : Math.ceil(ttlMs / step) * step;
      let list = this.lists.get(ttl);
      if (!list) {
        list = { ttl, head: undefined, tail: undefined };
        this.lists.set(ttl, list);
      }
      entry.expiresAt = now + ttl;
      append(list, entry);
      if (entry.expiresAt < this.armedAt) this.arm(entry.expiresAt);
    }
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - Date.now()));
    // Deadlines never keep a process alive on their own: the channels that carry the work do.
    this.timer.unref();
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [ttl, list] of this.lists) {
      while (list.head && list.head.expiresAt <= now) {
        const entry = list.head;
        unlink(list, entry);
        this.count--;
        entry.onDeadline();
      }
      if (list.head) next = Math.min(next, list.head.expiresAt);
      else if (list.ttl === ttl && this.lists.size > 8) this.lists.delete(ttl);
    }
    if (next !== Infinity) this.arm(next);
  }
}

function append(list: FifoList, entry: DeadlineEntry): void {
  entry.queueList = list;
  entry.queuePrev = list.tail;
  entry.queueNext = undefined;
  if (list.tail) list.tail.queueNext = entry;
  else list.head = entry;
  list.tail = entry;
}

function unlink(list: FifoList, entry: DeadlineEntry): void {
  if (entry.queuePrev) entry.queuePrev.queueNext = entry.queueNext;
  else list.head = entry.queueNext;
  if (entry.queueNext) entry.queueNext.queuePrev = entry.queuePrev;
  else list.tail = entry.queuePrev;
  entry.queueList = entry.queuePrev = entry.queueNext = undefined;
}
