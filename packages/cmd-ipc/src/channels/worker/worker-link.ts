import type { MessagePort, Worker } from 'node:worker_threads';
import { LinkBase } from '../link/link-base.js';
import { TransportError } from '../link/transport-error.js';

/** Sends through a port's structured clone, turning a clone failure into a TransportError. */
function post(target: Worker | MessagePort, value: unknown, description: string): void {
  try {
    target.postMessage(value);
  } catch (error) {
    throw new TransportError('message_unsendable', `${description}: the message cannot be cloned: ${(error as Error).message}`, { cause: error });
  }
}

/** The parent's side of a worker thread: closes when the worker exits, crashes or is terminated. */
export class WorkerLink extends LinkBase {
  readonly description: string;
  private readonly onMessage = (value: unknown): void => this.deliver(value);
  private readonly onExit = (code: number): void =>
    this.peerClosed(new TransportError('connection_lost', `${this.description} exited with code ${code}`));
  private readonly onError = (error: Error): void =>
    this.peerClosed(new TransportError('connection_lost', `${this.description} crashed: ${error.message}`, { cause: error }));
  private readonly onMessageError = (error: Error): void =>
    this.peerClosed(new TransportError('frame_malformed', `${this.description} sent a message that could not be deserialized: ${error.message}`));

  constructor(
    private readonly worker: Worker,
    private readonly terminateOnClose: boolean,
  ) {
    super();
    this.description = `worker thread ${worker.threadId}`;
    worker.on('message', this.onMessage);
    worker.on('exit', this.onExit);
    worker.on('error', this.onError);
    worker.on('messageerror', this.onMessageError);
    // A worker that already exited reports threadId -1; its link starts closed.
    if (worker.threadId < 0) this.peerClosed(new TransportError('connection_lost', `${this.description} had already exited`));
  }

  /** Posts one value (structured clone). */
  send(value: unknown): void {
    if (this.isClosed) return;
    post(this.worker, value, this.description);
  }

  protected async shutdown(): Promise<void> {
    this.teardown();
    if (this.terminateOnClose) await this.worker.terminate();
  }

  protected override teardown(): void {
    // The 'error' listener stays: an 'error' event with no listener would crash the parent process.
    this.worker.off('message', this.onMessage);
    this.worker.off('exit', this.onExit);
    this.worker.off('messageerror', this.onMessageError);
  }
}

/** The worker's side: its `parentPort` (or any MessagePort). */
export class PortLink extends LinkBase {
  readonly description: string;
  private readonly onMessage = (value: unknown): void => this.deliver(value);
  private readonly onClose = (): void => this.peerClosed(new TransportError('connection_lost', `${this.description} closed`));

  constructor(
    private readonly port: MessagePort,
    description: string,
  ) {
    super();
    this.description = description;
    port.on('message', this.onMessage);
    port.on('close', this.onClose);
  }

  /** Posts one value (structured clone). */
  send(value: unknown): void {
    if (this.isClosed) return;
    post(this.port, value, this.description);
  }

  protected async shutdown(): Promise<void> {
    // Only stop listening: closing parentPort would cut the worker off from its parent for good, and
    // once nothing listens the worker is free to exit on its own.
    this.teardown();
  }

  protected override teardown(): void {
    this.port.off('message', this.onMessage);
    this.port.off('close', this.onClose);
  }
}
