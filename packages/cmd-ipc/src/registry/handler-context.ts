import type { DeadlineEntry } from './deadline-queue.js';
import { TimeoutError } from './errors.js';
import type { CommandContext } from './types.js';

/**
 * The context a handler receives, which is also the registry's record of the call in flight (so a call
 * allocates one object for both). The AbortController behind `signal` is made only when a handler reads
 * `signal`, because most handlers never do and a controller per call is measurable on the hot path.
 */
export class HandlerContext implements CommandContext, DeadlineEntry {
  expiresAt = 0;
  queuePrev: DeadlineEntry | undefined = undefined;
  queueNext: DeadlineEntry | undefined = undefined;
  queueList: DeadlineEntry['queueList'] = undefined;
  private controller: AbortController | undefined = undefined;
  private abortReason: Error | undefined = undefined;

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

  /** Called by the DeadlineQueue when the deadline passes: the handler's signal fires. */
  onDeadline(): void {
    this.abort(new TimeoutError(`command ${this.commandId} from ${this.caller} passed its deadline`));
  }
}
