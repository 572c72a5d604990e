import type { ChildProcess, Serializable } from 'node:child_process';
import { LinkBase } from '../link/link-base.js';
import { TransportError } from '../link/transport-error.js';

/** Sends through the IPC pipe (via `send`); an encoding failure becomes a TransportError. */
function sendOver(send: (value: Serializable, callback: () => void) => boolean, value: unknown, description: string): void {
  try {
    // The callback swallows a write error (EPIPE as the peer dies): the pipe's end is reported by
    // 'disconnect'/'exit', and a message to a closing channel is dropped by contract.
    send(value as Serializable, () => undefined);
  } catch (error) {
    throw new TransportError('message_unsendable', `${description}: the message cannot be serialized: ${(error as Error).message}`, { cause: error });
  }
}

/** The parent's side of a forked child: closes when the child exits, is killed or disconnects. */
export class ChildProcessLink extends LinkBase {
  readonly description: string;
  private readonly onMessage = (value: unknown): void => this.deliver(value);
  private readonly onDisconnect = (): void =>
    this.peerClosed(new TransportError('connection_lost', `${this.description}: the IPC channel disconnected`));
  private readonly onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
    this.peerClosed(new TransportError('connection_lost', `${this.description} exited (${signal ?? `code ${code}`})`));
  private readonly onError = (error: Error): void => {
    // The child object emits 'error' for a failed kill or send; the pipe's own end is reported by
    // 'disconnect'/'exit', so this is only logged by whoever watches the close reason.
    if (!this.child.connected) this.peerClosed(new TransportError('connection_lost', `${this.description}: ${error.message}`, { cause: error }));
  };

  constructor(
    private readonly child: ChildProcess,
    private readonly killOnClose: boolean,
  ) {
    super();
    this.description = `child process ${child.pid ?? '(not started)'}`;
    if (child.send === undefined) throw new Error(`${this.description} has no IPC channel: fork it (or spawn with an 'ipc' stdio entry)`);
    child.on('message', this.onMessage);
    child.on('disconnect', this.onDisconnect);
    child.on('exit', this.onExit);
    child.on('error', this.onError);
    if (!child.connected) this.peerClosed(new TransportError('connection_lost', `${this.description} is not connected`));
  }

  /** Sends one value over the IPC pipe. */
  send(value: unknown): void {
    if (this.isClosed || !this.child.connected) return;
    sendOver((message, callback) => this.child.send(message, callback), value, this.description);
  }

  protected async shutdown(): Promise<void> {
    this.teardown();
    const child = this.child;
    // Deferred: disconnecting inside a 'message' handler (e.g. a command that disposes the registry)
    // trips Node 20's IPC message loop, which touches the channel after it is gone.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (child.connected) child.disconnect();
    if (this.killOnClose && child.exitCode === null && child.signalCode === null) child.kill();
  }

  protected override teardown(): void {
    // The 'error' listener stays: an 'error' event with no listener would crash the parent process.
    this.child.off('message', this.onMessage);
    this.child.off('disconnect', this.onDisconnect);
    this.child.off('exit', this.onExit);
  }
}

/** The child's side: `process.send` and `process.on('message')`. */
export class ParentProcessLink extends LinkBase {
  readonly description = 'parent process';
  private readonly onMessage = (value: unknown): void => this.deliver(value);
  private readonly onDisconnect = (): void => this.peerClosed(new TransportError('connection_lost', 'the IPC channel to the parent process disconnected'));

  constructor(private readonly disconnectOnClose: boolean) {
    super();
    if (process.send === undefined) throw new Error('ParentProcessChannel: this process was not started with an IPC channel (use fork)');
    process.on('message', this.onMessage);
    process.on('disconnect', this.onDisconnect);
  }

  /** Sends one value over the IPC pipe. */
  send(value: unknown): void {
    if (this.isClosed || process.send === undefined || !process.connected) return;
    sendOver((message, callback) => process.send!(message, undefined, undefined, callback), value, this.description);
  }

  protected async shutdown(): Promise<void> {
    this.teardown();
    if (!this.disconnectOnClose) return;
    // Deferred for the same Node 20 IPC quirk as on the parent side.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (process.connected) process.disconnect();
  }

  protected override teardown(): void {
    process.off('message', this.onMessage);
    process.off('disconnect', this.onDisconnect);
  }
}
