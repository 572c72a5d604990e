import type { CommandRegistry } from 'cmd-ipc';
import { PEER_CONFIG_ENV } from '../process/children.js';

/** Reads the JSON config the bench passed to this peer. */
export function readPeerConfig<T>(): T {
  const text = process.env[PEER_CONFIG_ENV];
  if (text === undefined) throw new Error(`bench peer started without ${PEER_CONFIG_ENV}`);
  return JSON.parse(text) as T;
}

/** Tells the bench this peer is ready (and the port it listens on, when it has one). */
export function sendReady(port?: number): void {
  process.send?.(port === undefined ? { type: 'ready' } : { type: 'ready', port });
}

/** Exits once the bench process goes away (its IPC pipe disconnects), after `cleanup`. */
export function exitWhenOrphaned(cleanup: () => Promise<void> = async () => {}): void {
  process.once('disconnect', () => {
    // Bounded: a cleanup that hangs must not leave a stray process behind.
    setTimeout(() => process.exit(0), 3000).unref();
    cleanup().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  });
}

/** Resident set size after a full gc (when --expose-gc is on), in MB. */
export function rssAfterGcMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return process.memoryUsage().rss / (1024 * 1024);
}

/** The command the memory scenario executes to read a peer's RSS. */
export const RSS_COMMAND = 'bench.rss';

/** Registers `bench.rss` on a peer's registry. */
export async function registerRssCommand(registry: CommandRegistry): Promise<void> {
  await registry.registerCommand(RSS_COMMAND, () => ({ rssMb: rssAfterGcMb() }));
}
