/** How a client waits between reconnect attempts: capped exponential backoff with jitter. */
export interface ReconnectOptions {
  /** Delay before the first retry, in ms. Default 250. */
  initialDelayMs?: number;
  /** Cap on any delay, in ms. Default 10000. */
  maxDelayMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /**
   * Fraction of each delay drawn at random (0..1), so many clients that lost the same server do not
   * all knock at once. Default 0.5: a delay of d becomes a random value in [d/2, d].
   */
  jitter?: number;
  /** Give up after this many failed attempts in a row. Default: never. */
  maxAttempts?: number;
}

/** Capped exponential backoff with jitter; `reset()` after a success. */
export class Backoff {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly maxAttempts: number;
  private failures = 0;

  constructor(options: ReconnectOptions = {}, private readonly random: () => number = Math.random) {
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    if (!(this.initialDelayMs >= 0) || !(this.maxDelayMs >= this.initialDelayMs) || !(this.factor >= 1)) {
      throw new RangeError(
        `reconnect needs 0 <= initialDelayMs <= maxDelayMs and factor >= 1, got ${this.initialDelayMs}, ${this.maxDelayMs}, ${this.factor}`,
      );
    }
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** True when another attempt is allowed. */
  get canRetry(): boolean {
    return this.failures < this.maxAttempts;
  }

  /** Counts one failure and returns how long to wait before the next attempt. */
  next(): number {
    const exponent = Math.min(this.failures, 64);
    this.failures += 1;
    const base = Math.min(this.maxDelayMs, this.initialDelayMs * this.factor ** exponent);
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /** Starts over after a success. */
  reset(): void {
    this.failures = 0;
  }
}
