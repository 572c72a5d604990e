import { CommandRegistry, consoleLogger, createHubClient, type ClientBase, type Logger } from 'cmd-ipc';
import type { NodeConfig } from './node-config.js';

/** A node's registry and its link to the hub. */
export interface LinkedNode {
  registry: CommandRegistry;
  client: ClientBase;
  /** Closes the link and the registry. */
  close(): Promise<void>;
}

/**
 * Creates the node's child registry and links it to the hub over the URL's transport, reconnecting
 * if the link drops. The secret defaults to $CMD_IPC_SECRET: it never travels on a command line.
 */
export async function linkToHub(config: NodeConfig, secret = process.env.CMD_IPC_SECRET, logger: Logger = consoleLogger(config.identity, 'warn')): Promise<LinkedNode> {
  if (!secret) throw new Error('CMD_IPC_SECRET is not set');
  const registry = new CommandRegistry({ id: config.identity, routerChannel: 'hub', logger });
  const client: ClientBase = createHubClient(config.url, { id: 'hub', auth: { identity: config.identity, secret }, logger });
  await client.attach(registry);
  return {
    registry,
    client,
    close: async () => {
      await client.close();
      await registry.dispose();
    },
  };
}

/**
 * Ends this node when the demo that started it is gone (its IPC channel closes) or asks it to stop,
 * so no node outlives the demo even if the demo itself was killed.
 */
export function exitWithParent(cleanUp: () => Promise<void>): void {
  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code), 2000);
    force.unref();
    void cleanUp()
      .catch(() => {})
      .finally(() => process.exit(code));
  };
  process.on('disconnect', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
}
