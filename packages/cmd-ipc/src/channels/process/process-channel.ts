import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../../registry/types.js';
import { LinkChannel } from '../link/link-channel.js';
import { ChildProcessLink, ParentProcessLink } from './process-link.js';

/** Options of the parent's channel to a forked child. */
export interface ChildProcessChannelOptions {
  /** Channel id. Default `child:<pid>`. */
  id?: string;
  /**
   * Kill the child when the channel closes. Default false: closing disconnects the IPC pipe, which
   * closes the child's channel and lets it exit on its own.
   */
  killOnClose?: boolean;
  /** Whether the child's registry speaks the extensions. Default true: both sides are this package. */
  extensions?: boolean;
  logger?: Logger;
}

/**
 * The parent's side of a child process forked with an IPC channel. Fork it with
 * `serialization: 'json'` (the default; 'advanced' is about 3x slower under load).
 * Closes when the child exits, crashes, is killed (even with SIGKILL) or disconnects.
 */
export class ChildProcessChannel extends LinkChannel {
  constructor(child: ChildProcess, options: ChildProcessChannelOptions = {}) {
    super(new ChildProcessLink(child, options.killOnClose ?? false), {
      id: options.id ?? `child:${child.pid ?? 'unknown'}`,
      extensions: options.extensions ?? true,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }
}

/** Options of a child process's channel to its parent. */
export interface ParentProcessChannelOptions {
  /** Channel id. Default `parent` (name it as the child registry's `routerChannel`). */
  id?: string;
  /** Disconnect the IPC pipe when the channel closes, so the parent sees it close. Default true. */
  disconnectOnClose?: boolean;
  /** Whether the parent's registry speaks the extensions. Default true. */
  extensions?: boolean;
  logger?: Logger;
}

/** A forked child's side of the IPC link to its parent (`process.send` / `process.on('message')`). */
export class ParentProcessChannel extends LinkChannel {
  constructor(options: ParentProcessChannelOptions = {}) {
    super(new ParentProcessLink(options.disconnectOnClose ?? true), {
      id: options.id ?? 'parent',
      extensions: options.extensions ?? true,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }
}
