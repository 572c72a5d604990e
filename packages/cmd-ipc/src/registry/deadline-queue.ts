/** An entry of a DeadlineQueue: the queue links entries through these fields, so adding one allocates nothing. */
export interface DeadlineEntry {
  expiresAt: number;
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
 */
export class DeadlineQueue {
  private readonly lists = new Map<number, FifoList>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private count = 0;

  /**
   * @param resolutionMs TTLs are rounded up to a multiple of this, so arbitrary TTLs (from deadlines) share a
   * few lists; an entry then expires up to this much after its exact TTL, never before it.
   */
  constructor(private readonly resolutionMs = 1) {}

  /** Entries queued. */
  get size(): number {
    return this.count;
  }

  /** Queues `entry` to expire `ttlMs` from now. */
  add(entry: DeadlineEntry, ttlMs: number): void {
    const step = this.resolutionMs;
    const ttl = ttlMs <= 0 ? 0 : Math.ceil(ttlMs / step) * step;
    let list = this.lists.get(ttl);
    if (!list) {
      list = { ttl, head: undefined, tail: undefined };
      this.lists.set(ttl, list);
    }
    entry.expiresAt = Date.now() + ttl;
    entry.queueList = list;
    entry.queuePrev = list.tail;
    entry.queueNext = undefined;
    if (list.tail) list.tail.queueNext = entry;
    else list.head = entry;
    list.tail = entry;
    this.count++;
    if (entry.expiresAt < this.armedAt) this.arm(entry.expiresAt);
  }

  /** Removes `entry` if queued; returns whether it was. */
  remove(entry: DeadlineEntry): boolean {
    const list = entry.queueList;
    if (!list) return false;
    if (entry.queuePrev) entry.queuePrev.queueNext = entry.queueNext;
    else list.head = entry.queueNext;
    if (entry.queueNext) entry.queueNext.queuePrev = entry.queuePrev;
    else list.tail = entry.queuePrev;
    entry.queueList = entry.queuePrev = entry.queueNext = undefined;
    this.count--;
    return true;
  }

  /** Removes every entry without calling `onDeadline`; returns them. */
  clear(): DeadlineEntry[] {
    const out: DeadlineEntry[] = [];
    for (const list of this.lists.values()) {
      for (let entry = list.head; entry; ) {
        const next = entry.queueNext;
        entry.queueList = entry.queuePrev = entry.queueNext = undefined;
        out.push(entry);
        entry = next;
      }
    }
    this.lists.clear();
    this.count = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
    return out;
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
        this.remove(entry);
        entry.onDeadline();
      }
      if (list.head) next = Math.min(next, list.head.expiresAt);
      else if (list.ttl === ttl && this.lists.size > 8) this.lists.delete(ttl);
    }
    if (next !== Infinity) this.arm(next);
  }
}
