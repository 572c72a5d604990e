/** How often to probe a network peer, and how long its silence may last before it counts as dead. */
export interface HeartbeatOptions {
  /** Milliseconds between pings. Default 5000. */
  intervalMs?: number;
  /**
   * Milliseconds without any sign of life (a message, a ping or a pong) after which the peer is dead.
   * Must exceed `intervalMs`. Default 15000. A dead peer is found within `timeoutMs + intervalMs`.
   */
  timeoutMs?: number;
}

/** Defaults for network channels. */
export const DEFAULT_HEARTBEAT: Required<HeartbeatOptions> = { intervalMs: 5000, timeoutMs: 15000 };

/** What a heartbeat drives: sending a ping, and declaring the peer dead. */
export interface HeartbeatHooks {
  ping(): void;
  dead(silentForMs: number): void;
}

/**
 * Pings a peer every interval and declares it dead after `timeoutMs` of silence.
 * Shared by the WebSocket (native ping frames), TCP and NATS (control frames) channels.
 */
export class Heartbeat {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private lastSeen = Date.now();
  private suspended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: HeartbeatOptions, private readonly hooks: HeartbeatHooks) {
    this.intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT.intervalMs;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HEARTBEAT.timeoutMs;
    if (!(this.intervalMs > 0) || !(this.timeoutMs > this.intervalMs)) {
      throw new RangeError(
        `heartbeat needs 0 < intervalMs < timeoutMs, got intervalMs=${this.intervalMs} timeoutMs=${this.timeoutMs}`,
      );
    }
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // A heartbeat alone must not keep a process alive.
    this.timer.unref();
  }

  /** Records a sign of life from the peer. */
  seen(): void {
    this.lastSeen = Date.now();
  }

  /**
   * Stops judging the peer (while this side is not reading, its pongs cannot arrive) but keeps
   * pinging, so the peer keeps seeing this side alive.
   */
  suspend(): void {
    this.suspended = true;
  }

  /** Judges the peer again, counting its silence from now. */
  unsuspend(): void {
    this.suspended = false;
    this.lastSeen = Date.now();
  }

  /** Stops the timer for good. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const silentFor = Date.now() - this.lastSeen;
    if (!this.suspended && silentFor >= this.timeoutMs) {
      this.stop();
      this.hooks.dead(silentFor);
      return;
    }
    this.hooks.ping();
  }
}
