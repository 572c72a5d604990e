import { type MessagePort, type Worker, parentPort } from 'node:worker_threads';
import type { Logger } from '../../registry/types.js';
import { LinkChannel } from '../link/link-channel.js';
import { PortLink, WorkerLink } from './worker-link.js';

/** Options of the parent's channel to a worker thread. */
export interface WorkerChannelOptions {
  /** Channel id. Default `worker:<threadId>`. */
  id?: string;
  /** Terminate the worker when the channel closes (e.g. on `registry.dispose()`). Default true. */
  terminateOnClose?: boolean;
  /** Whether the worker's registry speaks the extensions. Default true: both sides are this package. */
  extensions?: boolean;
  logger?: Logger;
}

/**
 * The parent's side of a worker thread. Messages travel as structured clones of the message object.
 * Closes when the worker exits, crashes or is terminated, so its commands vanish and its pending
 * calls fail with `channel_disconnected` at once.
 */
export class WorkerChannel extends LinkChannel {
  constructor(worker: Worker, options: WorkerChannelOptions = {}) {
    super(new WorkerLink(worker, options.terminateOnClose ?? true), {
      id: options.id ?? `worker:${worker.threadId}`,
      extensions: options.extensions ?? true,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }
}

/** Options of a worker's channel to its parent. */
export interface ParentPortChannelOptions {
  /** Channel id. Default `parent` (name it as the worker registry's `routerChannel`). */
  id?: string;
  /** The port to use. Default: `worker_threads.parentPort`. */
  port?: MessagePort;
  /** Whether the parent's registry speaks the extensions. Default true. */
  extensions?: boolean;
  logger?: Logger;
}

/** A worker thread's side of the link to its parent (`parentPort`). */
export class ParentPortChannel extends LinkChannel {
  constructor(options: ParentPortChannelOptions = {}) {
    const port = options.port ?? parentPort;
    if (port === null) throw new Error('ParentPortChannel: not running in a worker thread and no `port` given');
    super(new PortLink(port, options.port === undefined ? 'parent thread' : 'message port'), {
      id: options.id ?? 'parent',
      extensions: options.extensions ?? true,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }
}
