import type { CommandContext } from './types.js';

/**
 * The context a handler receives. The AbortController behind `signal` is made only when a handler reads
 * `signal`, because most handlers never do and a controller per call is measurable on the hot path.
 */
export class HandlerContext implements CommandContext {
  private controller: AbortController | undefined;
  private abortReason: Error | undefined;

  constructor(
    readonly commandId: string,
    readonly caller: string,
    readonly deadline: number | undefined,
    readonly traceId: string | undefined,
    readonly channelId: string | undefined,
  ) {}

  /** Fires when the caller's deadline passes, the caller's channel closes or the registry is disposed. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts the signal (now, or as soon as it is read); later calls are ignored. */
  abort(reason: Error): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}
