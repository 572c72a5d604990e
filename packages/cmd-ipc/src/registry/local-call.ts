import type { DeadlineQueue } from './deadline-queue.js';
import { CommandError, errorFromCode, InternalError, TimeoutError, toWireError } from './errors.js';
import { HandlerContext } from './handler-context.js';

/**
 * A call to a local async handler: the handler's context, and the registry's record of the call until it
 * settles. Its methods replace the per-call closures a Promise wrapper would otherwise need.
 */
export class LocalCall extends HandlerContext {
  private resolve: ((value: unknown) => void) | undefined = undefined;
  private reject: ((error: Error) => void) | undefined = undefined;
  private signal_: AbortSignal | undefined = undefined;
  private ttl = 0;
  private registryId = '';

  constructor(
    commandId: string,
    caller: string,
    traceId: string | undefined,
    private readonly queue: DeadlineQueue,
  ) {
    super(commandId, caller, undefined, traceId, undefined);
  }

  /** Waits for the handler's promise, bounded by `ttl` and `signal`; resolves or rejects as the call does. */
  track(result: PromiseLike<unknown>, ttl: number, signal: AbortSignal | undefined, registryId: string): Promise<unknown> {
    this.ttl = ttl;
    this.registryId = registryId;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.queue.add(this, ttl);
    if (signal) {
      this.signal_ = signal;
      signal.addEventListener('abort', this, { once: true });
    }
    result.then(
      (value) => this.settle(undefined, value),
      (error: unknown) => this.settle(toCommandError(error), undefined),
    );
    return promise;
  }

  /** Settles with an error now, once the registry has taken the call out of its queue (dispose); the handler's signal fires with it. */
  fail(error: Error): void {
    this.queue.remove(this);
    this.abort(error);
    this.finish(error, undefined);
  }

  /** The caller's AbortSignal fired (this object is its listener). */
  handleEvent(): void {
    if (!this.queue.remove(this)) return;
    const reason: unknown = this.signal_?.reason;
    const error = reason instanceof Error ? reason : new DOMException(`command ${this.commandId} was aborted`, 'AbortError');
    this.abort(error);
    this.finish(error, undefined);
  }

  override onDeadline(): void {
    const error = new TimeoutError(`command ${this.commandId} timed out after ${this.ttl} ms in registry ${this.registryId}`);
    this.abort(error);
    this.finish(error, undefined);
  }

  private settle(error: Error | undefined, value: unknown): void {
    if (!this.queue.remove(this)) return;
    this.finish(error, value);
  }

  private finish(error: Error | undefined, value: unknown): void {
    const resolve = this.resolve;
    const reject = this.reject;
    if (!resolve || !reject) return;
    this.resolve = this.reject = undefined;
    this.signal_?.removeEventListener('abort', this);
    if (error) reject(error);
    else resolve(value);
  }
}

/** What a local caller sees when the handler threw: the same error class a remote caller would get. */
export function toCommandError(error: unknown): Error {
  if (error instanceof CommandError) return error;
  const wire = toWireError(error);
  if (wire.code === 'internal_error') return new InternalError(wire.message, { cause: error });
  return errorFromCode(wire.code, wire.message);
}
