/**
 * The TCP node: a child registry linked to the hub, with the tcp-handler's `tcp.*` commands on it.
 * Any caller in the mesh (here: the actor node's WebAssembly echo actor) listens, accepts and sends
 * on real sockets of this process through those commands.
 */
import { consoleLogger } from 'cmd-ipc';
import { registerTcpHandler } from '@cmd-ipc/tcp-handler';
import { exitWithParent, linkToHub } from './link-to-hub.js';
import { NODE_READY_EVENT, readNodeConfig, type NodeReady } from './node-config.js';

const config = readNodeConfig();
const node = await linkToHub(config);
const tcp = await registerTcpHandler(node.registry, { logger: consoleLogger(config.identity, 'warn') });
exitWithParent(async () => {
  await tcp.dispose();
  await node.close();
});
const ready: NodeReady = { node: config.identity, pid: process.pid, commands: node.registry.listCommands().filter((c) => c.owner === 'local' && !c.id.startsWith('_')).length };
node.registry.emitEvent(NODE_READY_EVENT, ready);
